using System;
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
        private bool _keyChecked;

        /// <summary>
        /// The provider, base URI and key this call uses; stops the call when there is no key. Ask for it only when a
        /// request is about to go out: checks and -WhatIf need no key (<see cref="ProviderInfo"/>).
        /// </summary>
        protected SeedreamConnection Connection
        {
            get
            {
                if (!_keyChecked)
                {
                    _connection = ResolveConnection(requireKey: true);
                    _keyChecked = true;
                }

                return _connection!;
            }
        }

        /// <summary>The provider this call uses, known without a key, so -WhatIf works before a key is set.</summary>
        protected SeedreamProvider ProviderInfo => (_connection ??= ResolveConnection(requireKey: false)).ProviderInfo;

        /// <summary>The connection this call uses, with its -Provider, -BaseUri and -ApiKey; see <see cref="ConnectionResolver"/>.</summary>
        protected SeedreamConnection ResolveConnection(bool requireKey) =>
            ConnectionResolver.Resolve(this, Provider, BaseUri, ApiKey, requireKey);

        /// <summary>False for a cmdlet that goes over the network only when asked (Get-SeedreamModel -Online).</summary>
        protected virtual bool ResolvesConnectionAtStart => true;

        protected override void BeginProcessing()
        {
            if (ResolvesConnectionAtStart)
            {
                _connection = ResolveConnection(requireKey: false); // an unknown provider or an unsafe base URI stops the call before any input is read
            }

            base.BeginProcessing();
        }

        private Simulator.SimulatorHandler? _simulator;

        /// <summary>The simulator for a simulated provider (made on the pipeline thread, where the session's faults and catalog are read).</summary>
        protected override System.Net.Http.HttpMessageHandler? InProcessHandler =>
            ProviderInfo.IsSimulated ? _simulator ??= Simulator.SimulatorSetup.Handler(ProviderInfo) : null;

        protected ClientOptions CreateClientOptions() => new ClientOptions
        {
            BaseUri = Connection.BaseUri,
            ApiKey = Connection.ApiKeyText,
            RetryPolicy = RetryPolicy,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        };
    }
}
