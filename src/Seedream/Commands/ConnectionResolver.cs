using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Seedream.Api;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>
    /// Resolves -Provider, -BaseUri and -ApiKey into the connection a call uses (parameter, then Connect-Seedream,
    /// then environment, then default) for every cmdlet that takes them, and stops the calling cmdlet with a clear
    /// error on an unknown provider, a base URI that would send the key in clear text, or (when asked) no key.
    /// </summary>
    internal static class ConnectionResolver
    {
        public static SeedreamConnection Resolve(PSCmdlet cmdlet, string? providerName, Uri? baseUri, SecureString? apiKey, bool requireKey)
        {
            SeedreamProvider? provider = null;
            if (!string.IsNullOrEmpty(providerName))
            {
                provider = ModelCatalog.FindProvider(providerName);
                if (provider is null)
                {
                    cmdlet.ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord("Provider",
                        $"'{providerName}' is not a known provider; use one of {string.Join(", ", ModelCatalog.Providers.Select(p => p.Name))}.", providerName));
                }
            }

            SeedreamConnection connection;
            try
            {
                connection = SeedreamConnection.Resolve(provider, baseUri, apiKey);
            }
            catch (UriFormatException)
            {
                cmdlet.ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord("BaseUri",
                    $"the environment variable {SeedreamConnection.BaseUriVariable} does not hold an absolute URI; pass -BaseUri or correct the variable.",
                    SeedreamConnection.BaseUriVariable));
                throw; // not reached
            }

            CheckBaseUri(cmdlet, connection.BaseUri);
            if (connection.HasApiKey && !connection.ApiKeyIsWellFormed)
            {
                // The message names where the key came from, never the key or the offending character.
                cmdlet.ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord("ApiKey",
                    $"the API key (from {connection.ApiKeySource}) is empty or holds a character that cannot be sent in an HTTP header; " +
                    "a key is printable ASCII without spaces. Check for a character pasted or read along with it.", null));
            }

            if (requireKey && !connection.HasApiKey)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new SeedreamException($"No API key for {connection.Provider}: pass -ApiKey, run Connect-Seedream -ApiKey, or set ${string.Join(" or $", connection.ProviderInfo.ApiKeyVariables)}. Nothing prompts for it."),
                    SeedreamErrors.NoApiKey, ErrorCategory.AuthenticationError, null));
            }

            return connection;
        }

        /// <summary>The key must not travel in clear text: plain http only to this machine.</summary>
        private static void CheckBaseUri(PSCmdlet cmdlet, Uri uri)
        {
            bool https = uri.Scheme == Uri.UriSchemeHttps;
            bool loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "127.0.0.1" || uri.Host == "[::1]");
            if (!https && !loopbackHttp)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new SeedreamValidationException("BaseUri", $"Parameter -BaseUri: '{uri.GetLeftPart(UriPartial.Path)}' is not https; plain http is allowed only to a loopback address, so the API key never travels in clear text."),
                    SeedreamErrors.InsecureBaseUri, ErrorCategory.SecurityError, uri));
            }
        }
    }
}
