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

            if (baseUri != null)
            {
                CheckBaseUri(cmdlet, baseUri, "-BaseUri");
            }

            SeedreamConnection connection;
            try
            {
                connection = SeedreamConnection.Resolve(provider, baseUri, apiKey);
            }
            catch (UriFormatException)
            {
                cmdlet.ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord("BaseUri",
                    $"{EnvironmentVariable(SeedreamConnection.BaseUriVariable)} does not hold an absolute URI; pass -BaseUri or correct the variable.",
                    SeedreamConnection.BaseUriVariable));
                throw; // not reached
            }

            CheckBaseUri(cmdlet, connection.BaseUri, DescribeSource(connection.BaseUriSource));
            if (connection.HasApiKey && !connection.ApiKeyIsWellFormed)
            {
                // The message names where the key came from, never the key or the offending character.
                cmdlet.ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord("ApiKey",
                    $"the API key (from {DescribeSource(connection.ApiKeySource)}) is empty or holds a character that cannot be sent in an HTTP header; " +
                    "a key is printable ASCII without spaces. Check for a character pasted or read along with it.", null));
            }

            if (requireKey && !connection.HasApiKey && !connection.ProviderInfo.IsSimulated)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new SeedreamException($"No API key for {connection.Provider}: pass -ApiKey, run Connect-Seedream -ApiKey, or set {KeyVariables(connection.ProviderInfo)}. Nothing prompts for it."),
                    SeedreamErrors.NoApiKey, ErrorCategory.AuthenticationError, null));
            }

            return connection;
        }

        /// <summary>The provider's key variables as PowerShell spells them, in the order they are read: $env:ARK_API_KEY or $env:SEEDREAM_API_KEY.</summary>
        public static string KeyVariables(SeedreamProvider provider) => string.Join(" or ", provider.ApiKeyVariables.Select(EnvironmentVariable));

        /// <summary>A source as messages write it: Environment:NAME becomes $env:NAME; Parameter becomes -BaseUri/-ApiKey's own word.</summary>
        public static string DescribeSource(string source) =>
            source.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) ? EnvironmentVariable(source.Substring(EnvironmentPrefix.Length)) : source;

        private const string EnvironmentPrefix = "Environment:";

        private static string EnvironmentVariable(string name) => "$env:" + name;

        /// <summary>
        /// The key must not travel in clear text: https, or plain http only to this machine. A relative URI, another
        /// scheme, or a user name or password in the address (HttpClient would not send them, and they must never be
        /// shown) is refused. Messages name the address without its user information, query or fragment.
        /// </summary>
        private static void CheckBaseUri(PSCmdlet cmdlet, Uri uri, string from)
        {
            string where = from.StartsWith("-", StringComparison.Ordinal) ? "" : $" (from {from})";
            if (!uri.IsAbsoluteUri)
            {
                Refuse(cmdlet, $"Parameter -BaseUri: '{uri.OriginalString}'{where} is not an absolute URI; give the whole address, for example https://api.apiyi.com/v1.", ErrorCategory.InvalidArgument, null);
            }

            string shown = Shown(uri);
            if (uri.UserInfo.Length > 0)
            {
                Refuse(cmdlet, $"Parameter -BaseUri: '{shown}'{where} holds a user name or password before the host; remove them. The API key goes in -ApiKey " +
                               "(or Connect-Seedream), and credentials in the address are never sent.", ErrorCategory.SecurityError, shown);
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                Refuse(cmdlet, $"Parameter -BaseUri: '{shown}'{where} uses {uri.Scheme}:, which the API does not speak; give an https:// address.", ErrorCategory.InvalidArgument, shown);
            }

            bool loopback = uri.IsLoopback || uri.Host == "127.0.0.1" || uri.Host == "[::1]";
            if (uri.Scheme == Uri.UriSchemeHttp && !loopback)
            {
                Refuse(cmdlet, $"Parameter -BaseUri: '{shown}'{where} is plain http to another machine; use https. Plain http is allowed only to a loopback address " +
                               "(localhost, 127.0.0.1, ::1), so the API key never travels in clear text.", ErrorCategory.SecurityError, shown);
            }
        }

        /// <summary>Scheme, host, port and path: never the user information, query or fragment.</summary>
        private static string Shown(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

        private static void Refuse(PSCmdlet cmdlet, string message, ErrorCategory category, object? target) =>
            cmdlet.ThrowTerminatingError(new ErrorRecord(new SeedreamValidationException("BaseUri", message),
                category == ErrorCategory.SecurityError ? SeedreamErrors.InsecureBaseUri : SeedreamErrors.InvalidParameter, category, target));
    }
}
