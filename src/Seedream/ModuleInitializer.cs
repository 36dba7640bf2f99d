using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;

namespace Seedream
{
    /// <summary>
    /// Import-time set-up that differs by edition.
    /// PowerShell 7 resolves the module's dependencies itself, but its runtime must be at least as new as the
    /// System.Text.Json the module is built against (8.0: PowerShell 7.4): an older one cannot load it, so the
    /// import stops with a clear message instead of failing at the first request.
    /// Windows PowerShell (.NET Framework) has no binding redirects for a module's dependencies, so requests for
    /// System.Text.Json and friends at other versions are answered from the module folder. It may also still offer
    /// only TLS 1.0/1.1, which the providers refuse: TLS 1.2 is added then, but a process that leaves the choice to
    /// the operating system (SystemDefault) is left alone, so TLS 1.3 stays possible.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const int MinimumCoreRuntime = 8;
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? "";

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

            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            SecurityProtocolType protocols = ServicePointManager.SecurityProtocol;
            if (protocols != 0 && (protocols & SecurityProtocolType.Tls12) == 0)
            {
                ServicePointManager.SecurityProtocol = protocols | SecurityProtocolType.Tls12;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsDesktop)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
            }
        }

        /// <summary>Answers only for assemblies shipped in the module folder, whatever version was asked for.</summary>
        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            string candidate = Path.Combine(ModuleFolder, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
