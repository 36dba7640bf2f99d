using System;
using System.Management.Automation;
using System.Security;

namespace Seedream.Commands
{
    /// <summary>
    /// Connect-Seedream: sets this session's provider, and optionally key and base URI, as defaults for later calls.
    /// Checks the values; sends nothing. What is not given keeps coming from the environment or the defaults.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Seedream")]
    [OutputType(typeof(SeedreamConnection))]
    public sealed class ConnectSeedreamCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string? Provider { get; set; }

        /// <summary>The API key, as a SecureString or a plain string.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        public Uri? BaseUri { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            // Checks the values as a call would use them (a bad provider or base URI stops here) before anything is stored.
            SeedreamConnection given = ConnectionResolver.Resolve(this, Provider, BaseUri, ApiKey, requireKey: false);
            ConnectionDefaults.Current = new ConnectionDefaults(given.ProviderInfo, BaseUri, ApiKey);
            SeedreamConnection connection = ConnectionResolver.Resolve(this, null, null, null, requireKey: false);
            WriteVerbose($"Connected to {connection.Provider} at {connection.BaseUri} (from {ConnectionResolver.DescribeSource(connection.BaseUriSource)}); key from {ConnectionResolver.DescribeSource(connection.ApiKeySource)}.");
            if (!connection.HasApiKey)
            {
                WriteWarning($"No API key yet: pass -ApiKey, or set {ConnectionResolver.KeyVariables(connection.ProviderInfo)} before generating.");
            }

            if (PassThru.IsPresent)
            {
                WriteObject(connection);
            }
        }
    }
}
