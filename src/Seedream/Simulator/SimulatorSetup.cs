using System.Linq;
using Seedream.Catalog;

namespace Seedream.Simulator
{
    /// <summary>How the cmdlets get the simulator: with this runspace's catalog and Connect-Seedream's faults. Call on the pipeline thread.</summary>
    internal static class SimulatorSetup
    {
        /// <summary>The catalog's simulated provider (Simulator in the shipped catalog).</summary>
        public static SeedreamProvider Provider => ModelCatalog.Providers.First(p => p.IsSimulated);

        public static SimulatorHandler Handler(SeedreamProvider? provider = null)
        {
            SeedreamCatalog catalog;
            try
            {
                catalog = SeedreamConnection.CurrentCatalog();
            }
            catch (CatalogException)
            {
                catalog = ModelCatalog.Shipped; // the cmdlet reports a bad user catalog itself
            }

            return new SimulatorHandler(catalog, provider ?? Provider, ConnectionDefaults.Current?.Simulator);
        }
    }
}
