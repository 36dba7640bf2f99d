using System;
using System.Management.Automation;
using System.Net;
using System.Runtime.CompilerServices;

namespace Seedream
{
    /// <summary>
    /// Import-time set-up that differs by edition.
    /// PowerShell 7 resolves the module's dependencies itself, but its runtime must be at least as new as the
    /// System.Text.Json the module is built against (8.0: PowerShell 7.4): an older one cannot load it, so the
    /// import stops with a clear message instead of failing at the first request.
    /// Windows PowerShell (.NET Framework) has no binding redirects for a module's dependencies: the module's own
    /// requests for its dependencies are answered from the module folder (<see cref="ModuleDependencyResolver"/>).
    /// It may also still offer only TLS 1.0/1.1, which the providers refuse: TLS 1.2 is added then, but a process that
    /// leaves the choice to the operating system (SystemDefault) is left alone, so TLS 1.3 stays possible.
    /// The Desktop-only code sits in methods of its own that the JIT does not inline, so PowerShell 7 never compiles
    /// it and never loads what it touches (ServicePointManager lives in System.Net.Requests there).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const int MinimumCoreRuntime = 8;
        private static ModuleDependencyResolver? _resolver;

        private static bool IsDesktop =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport()
        {
            if (!IsDesktop)
            {
                if (Environment.Version.Major < MinimumCoreRuntime)
                {
                    throw new PlatformNotSupportedException(
                        $"Seedream needs PowerShell 7.4 or later (.NET {MinimumCoreRuntime}+), or Windows PowerShell 5.1; this is .NET {Environment.Version}.");
                }

                return;
            }

            OnDesktopImport();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsDesktop)
            {
                OnDesktopRemove();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OnDesktopImport()
        {
            _resolver ??= new ModuleDependencyResolver(typeof(ModuleInitializer).Assembly);
            _resolver.Install();
            AddTls12();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void AddTls12()
        {
            SecurityProtocolType protocols = ServicePointManager.SecurityProtocol;
            if (protocols != 0 && (protocols & SecurityProtocolType.Tls12) == 0)
            {
                ServicePointManager.SecurityProtocol = protocols | SecurityProtocolType.Tls12;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OnDesktopRemove() => _resolver?.Uninstall();
    }
}
