using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using Seedream.Api;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>
    /// Parameters of the cmdlets that call the API: key, base URI and provider. Each value comes from the parameter,
    /// then Connect-Seedream, then the environment, then the default. Nothing ever prompts.
    /// </summary>
    public abstract class ApiCmdlet : NetworkCmdlet
    {
        /// <summary>The API key, as a SecureString or a plain string.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string? Provider { get; set; }

        private SeedreamConnection? _connection;

        /// <summary>The provider, base URI and key this call uses; stops the call when there is no key.</summary>
        protected SeedreamConnection Connection => _connection ??= ResolveConnection(requireKey: true);

        protected SeedreamProvider ProviderInfo => Connection.ProviderInfo;

        /// <summary>
        /// Resolves the connection a call uses: with this cmdlet's -Provider, -BaseUri and -ApiKey (useParameters),
        /// or as a later call without them would see it. Stops on a base URI that is not https (or loopback http),
        /// and, when requireKey, on a missing key. Never prompts.
        /// </summary>
        protected SeedreamConnection ResolveConnection(bool requireKey, bool useParameters = true)
        {
            SeedreamConnection connection;
            try
            {
                connection = useParameters
                    ? SeedreamConnection.Resolve(ModelCatalog.FindProvider(Provider), BaseUri, ApiKey)
                    : SeedreamConnection.Resolve(null, null, null);
            }
            catch (UriFormatException)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(BaseUri),
                    $"the environment variable {SeedreamConnection.BaseUriVariable} does not hold an absolute URI; pass -BaseUri or correct the variable.", null));
                throw; // not reached
            }

            CheckBaseUri(connection.BaseUri);
            if (requireKey && !connection.HasApiKey)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new SeedreamException($"No API key for {connection.Provider}: pass -ApiKey, run Connect-Seedream -ApiKey, or set ${string.Join(" or $", connection.ProviderInfo.ApiKeyVariables)}. Nothing prompts for it."),
                    SeedreamErrors.NoApiKey, ErrorCategory.AuthenticationError, null));
            }

            return connection;
        }

        protected override void BeginProcessing()
        {
            if (!string.IsNullOrEmpty(Provider) && ModelCatalog.FindProvider(Provider) is null)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(Provider),
                    $"'{Provider}' is not a known provider; use one of {string.Join(", ", ModelCatalog.Providers.Select(p => p.Name))}.", Provider));
            }

            base.BeginProcessing();
        }

        protected ClientOptions CreateClientOptions() => new ClientOptions
        {
            BaseUri = Connection.BaseUri,
            ApiKey = Connection.ApiKey is SecureString key ? new NetworkCredential("", key).Password : "",
            RetryPolicy = RetryPolicy,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        };

        /// <summary>The key must not travel in clear text: plain http only to this machine.</summary>
        private void CheckBaseUri(Uri uri)
        {
            bool https = uri.Scheme == Uri.UriSchemeHttps;
            bool loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "127.0.0.1" || uri.Host == "[::1]");
            if (!https && !loopbackHttp)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new SeedreamValidationException(nameof(BaseUri), $"Parameter -BaseUri: '{uri.GetLeftPart(UriPartial.Path)}' is not https; plain http is allowed only to a loopback address, so the API key never travels in clear text."),
                    SeedreamErrors.InsecureBaseUri, ErrorCategory.SecurityError, uri));
            }
        }
    }
}
