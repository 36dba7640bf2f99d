using System;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security;
using Seedream.Catalog;
using Seedream.Simulator;

namespace Seedream
{
    /// <summary>
    /// The provider, base URI and key a call uses, with where each came from. Shows whether there is a key and
    /// its source, never the key itself.
    /// </summary>
    public sealed class SeedreamConnection
    {
        public const string BaseUriVariable = "SEEDREAM_BASE_URI";

        internal SeedreamConnection(SeedreamProvider provider, Uri baseUri, string baseUriSource, SecureString? apiKey, string apiKeySource)
        {
            ProviderInfo = provider;
            BaseUri = baseUri;
            BaseUriSource = baseUriSource;
            ApiKey = apiKey;
            ApiKeySource = apiKeySource;
            (CatalogPath, CatalogSource) = CurrentCatalogPath();
        }

        public string Provider => ProviderInfo.Name;
        public Uri BaseUri { get; }

        /// <summary>Parameter, Connect-Seedream, Environment:NAME or Default.</summary>
        public string BaseUriSource { get; }

        /// <summary>Parameter, Connect-Seedream, Environment:NAME or None.</summary>
        public string ApiKeySource { get; }

        public bool HasApiKey => ApiKey != null;

        /// <summary>The user's catalog file laid over the module's (Connect-Seedream -CatalogPath, else $env:SEEDREAM_CATALOG); null for none.</summary>
        public string? CatalogPath { get; }

        /// <summary>Connect-Seedream, Environment:SEEDREAM_CATALOG or None.</summary>
        public string CatalogSource { get; }

        /// <summary>The user's catalog path in effect and where it came from: Connect-Seedream, then the environment, then none.</summary>
        internal static (string? Path, string Source) CurrentCatalogPath()
        {
            if (ConnectionDefaults.Current?.CatalogPath is string connected)
            {
                return (connected, "Connect-Seedream");
            }

            string? fromEnvironment = Environment.GetEnvironmentVariable(ModelCatalog.UserCatalogVariable);
            return string.IsNullOrWhiteSpace(fromEnvironment) ? (null, "None") : (fromEnvironment!.Trim(), "Environment:" + ModelCatalog.UserCatalogVariable);
        }

        /// <summary>The catalog in effect: the module's, with the user's file on top when one is set. Throws <see cref="CatalogException"/> for a bad file.</summary>
        internal static SeedreamCatalog CurrentCatalog() => ModelCatalog.Load(CurrentCatalogPath().Path);

        internal SeedreamProvider ProviderInfo { get; }
        internal SecureString? ApiKey { get; }

        /// <summary>The key as it goes into the Authorization header: surrounding white space (a newline from a file) removed.</summary>
        internal string ApiKeyText => ApiKey is null ? "" : new NetworkCredential("", ApiKey).Password.Trim();

        /// <summary>Whether the key can go into an HTTP header at all: printable ASCII, no spaces.</summary>
        internal bool ApiKeyIsWellFormed
        {
            get
            {
                string key = ApiKeyText;
                return key.Length > 0 && key.All(c => c > ' ' && c < (char)127);
            }
        }

        public override string ToString() => $"{Provider} {BaseUri} (key: {ApiKeySource})";

        /// <summary>
        /// Resolves each value: parameter, then Connect-Seedream, then environment, then default.
        /// The base URI is not checked here (see the cmdlets); a malformed SEEDREAM_BASE_URI throws UriFormatException.
        /// </summary>
        internal static SeedreamConnection Resolve(SeedreamProvider? providerParameter, Uri? baseUriParameter, SecureString? apiKeyParameter)
        {
            ConnectionDefaults? connected = ConnectionDefaults.Current;
            SeedreamProvider provider = providerParameter ?? connected?.Provider ?? ModelCatalog.DefaultProvider;
            bool sameProvider = connected != null && connected.Provider == provider;

            Uri baseUri;
            string baseSource;
            string? fromEnvironment = Environment.GetEnvironmentVariable(BaseUriVariable);
            if (baseUriParameter != null)
            {
                (baseUri, baseSource) = (baseUriParameter, "Parameter");
            }
            else if (sameProvider && connected!.BaseUri != null)
            {
                (baseUri, baseSource) = (connected.BaseUri, "Connect-Seedream");
            }
            else if (!string.IsNullOrEmpty(fromEnvironment) && !provider.IsSimulated)
            {
                (baseUri, baseSource) = (new Uri(fromEnvironment, UriKind.Absolute), "Environment:" + BaseUriVariable);
            }
            else
            {
                (baseUri, baseSource) = (provider.BaseUri, "Default");
            }

            SecureString? key = apiKeyParameter;
            string keySource = "Parameter";
            if (key is null && sameProvider && connected!.ApiKey != null)
            {
                (key, keySource) = (connected.ApiKey, "Connect-Seedream");
            }

            if (key is null)
            {
                keySource = "None";
                foreach (string variable in provider.ApiKeyVariables)
                {
                    string? value = Environment.GetEnvironmentVariable(variable);
                    if (!string.IsNullOrEmpty(value))
                    {
                        (key, keySource) = (new NetworkCredential("", value).SecurePassword, "Environment:" + variable);
                        break;
                    }
                }
            }

            return new SeedreamConnection(provider, baseUri, baseSource, key, keySource);
        }
    }

    /// <summary>What Connect-Seedream stored, per runspace, so parallel runspaces keep their own.</summary>
    internal sealed class ConnectionDefaults
    {
        private static readonly ConditionalWeakTable<Runspace, ConnectionDefaults> ByRunspace = new ConditionalWeakTable<Runspace, ConnectionDefaults>();
        private static ConnectionDefaults? _withoutRunspace;

        public ConnectionDefaults(SeedreamProvider provider, Uri? baseUri, SecureString? apiKey, string? catalogPath = null, SimulatorSession? simulator = null)
        {
            Simulator = simulator;
            Provider = provider;
            BaseUri = baseUri;
            ApiKey = apiKey;
            CatalogPath = catalogPath;
        }

        public SeedreamProvider Provider { get; }
        public Uri? BaseUri { get; }
        public SecureString? ApiKey { get; }

        /// <summary>Connect-Seedream -CatalogPath, as a full path; it applies whatever the provider.</summary>
        public string? CatalogPath { get; }

        /// <summary>The simulator's faults and clock (Connect-Seedream -Provider Simulator -SimulateFault); null: none asked for.</summary>
        public SimulatorSession? Simulator { get; }

        public static ConnectionDefaults? Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                if (runspace is null)
                {
                    return _withoutRunspace;
                }

                return ByRunspace.TryGetValue(runspace, out ConnectionDefaults? defaults) ? defaults : null;
            }

            set
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                if (runspace is null)
                {
                    _withoutRunspace = value;
                    return;
                }

                ByRunspace.Remove(runspace);
                if (value != null)
                {
                    ByRunspace.Add(runspace, value);
                }
            }
        }
    }
}
