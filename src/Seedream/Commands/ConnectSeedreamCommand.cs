using System.Management.Automation;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>
    /// Connect-Seedream: sets this session's provider, and optionally key and base URI, as defaults for later calls.
    /// Checks the values; sends nothing. What is not given keeps coming from the environment or the defaults.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Seedream")]
    [OutputType(typeof(SeedreamConnection))]
    public sealed class ConnectSeedreamCommand : ApiCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            // Checks the values as a call would use them (a bad base URI stops here) before anything is stored.
            SeedreamConnection given = ResolveConnection(requireKey: false);
            ConnectionDefaults.Current = new ConnectionDefaults(given.ProviderInfo, BaseUri, ApiKey);
            SeedreamConnection connection = ResolveConnection(requireKey: false, useParameters: false);
            WriteVerbose($"Connected to {connection.Provider} at {connection.BaseUri} (from {connection.BaseUriSource}); key from {connection.ApiKeySource}.");
            if (!connection.HasApiKey)
            {
                WriteWarning($"No API key yet: pass -ApiKey, or set ${string.Join(" or $", connection.ProviderInfo.ApiKeyVariables)} before generating.");
            }

            if (PassThru.IsPresent)
            {
                WriteObject(connection);
            }
        }
    }
}
