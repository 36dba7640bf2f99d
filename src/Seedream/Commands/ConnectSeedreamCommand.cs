using System;
using System.Management.Automation;
using System.Security;
using Seedream.Catalog;
using Seedream.Simulator;

namespace Seedream.Commands
{
    /// <summary>
    /// Connect-Seedream: sets this session's provider, and optionally key, base URI and user catalog, as defaults for
    /// later calls. Checks the values (a user catalog is read and checked whole); sends nothing. What is not given keeps
    /// coming from the environment or the defaults.
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

        /// <summary>A JSON catalog file that adds or changes models, or maps endpoint ids, on top of the module's catalog.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CatalogPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>With -Provider Simulator: the fault the next requests (downloads, for ExpiredUrl) answer with.</summary>
        [Parameter]
        public SimulatedFault SimulateFault { get; set; }

        /// <summary>How many requests -SimulateFault applies to; 1 by default.</summary>
        [Parameter]
        [ValidateRange(1, 1000)]
        public int FaultCount { get; set; } = 1;

        protected override void EndProcessing()
        {
            // Checks the values as a call would use them (a bad provider, base URI or catalog stops here) before anything is stored.
            SeedreamConnection given = ConnectionResolver.Resolve(this, Provider, BaseUri, ApiKey, requireKey: false);
            bool faultAsked = MyInvocation.BoundParameters.ContainsKey(nameof(SimulateFault)) || MyInvocation.BoundParameters.ContainsKey(nameof(FaultCount));
            if (faultAsked && !given.ProviderInfo.IsSimulated)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(MyInvocation.BoundParameters.ContainsKey(nameof(SimulateFault)) ? nameof(SimulateFault) : nameof(FaultCount),
                    $"faults are played only by the simulator; add -Provider Simulator (the provider here is {given.Provider}).", SimulateFault));
            }

            string? catalogPath = null;
            if (CatalogPath != null)
            {
                catalogPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CatalogPath);
                try
                {
                    SeedreamCatalog catalog = ModelCatalog.Load(catalogPath);
                    WriteVerbose($"Catalog '{catalogPath}' read: {catalog.Models.Count} models, {catalog.Endpoints.Count} endpoint(s) in all.");
                }
                catch (CatalogException ex)
                {
                    ThrowTerminatingError(SeedreamErrors.CatalogRecord(ex, nameof(CatalogPath)));
                }
            }

            SimulatorSession? simulator = given.ProviderInfo.IsSimulated ? new SimulatorSession(SimulateFault, FaultCount) : null;
            ConnectionDefaults.Current = new ConnectionDefaults(given.ProviderInfo, BaseUri, ApiKey, catalogPath, simulator);
            SeedreamConnection connection = ConnectionResolver.Resolve(this, null, null, null, requireKey: false);
            WriteVerbose($"Connected to {connection.Provider} at {connection.BaseUri} (from {ConnectionResolver.DescribeSource(connection.BaseUriSource)}); " +
                         $"key from {ConnectionResolver.DescribeSource(connection.ApiKeySource)}; " +
                         $"user catalog: {connection.CatalogPath ?? "none"} (from {ConnectionResolver.DescribeSource(connection.CatalogSource)}).");
            if (simulator != null)
            {
                WriteVerbose(simulator.Fault == SimulatedFault.None
                    ? "The simulator answers in this session: no key, no network, nothing billed."
                    : $"The simulator answers in this session; the next {FaultCount} request(s){(SimulateFault == SimulatedFault.ExpiredUrl ? " to download an image" : "")} answer with {SimulateFault}.");
            }
            else if (!connection.HasApiKey)
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
