using System;
using System.IO;
using System.Reflection;

using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("Seedream.DesktopTests.DesktopTestFramework", "Seedream.DesktopTests")]

namespace Seedream.DesktopTests
{
    /// <summary>
    /// Where the built module is, and how the tests load it: as Import-Module does on Windows PowerShell, by
    /// Assembly.LoadFrom from the module folder (SEEDREAM_DESKTOP_MODULE, set by build.ps1). This resolver answers only
    /// requests made by the test assembly itself; what the module's assemblies ask for is left to the runtime and to the
    /// module's own resolver, which is what the tests are about.
    /// </summary>
    internal static class ModuleFolder
    {
        public static readonly string Path = System.IO.Path.GetFullPath(
            Environment.GetEnvironmentVariable("SEEDREAM_DESKTOP_MODULE") ??
            System.IO.Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "..", "Seedream"));

        internal static void Install() => AppDomain.CurrentDomain.AssemblyResolve += ResolveForTests;

        private static Assembly? ResolveForTests(object? sender, ResolveEventArgs args)
        {
            if (Environment.GetEnvironmentVariable("SEEDREAM_DESKTOP_TRACE") == "1")
            {
                Console.Error.WriteLine($"resolve {args.Name} for {args.RequestingAssembly?.FullName ?? "(null)"}");
            }

            if (args.RequestingAssembly != typeof(ModuleFolder).Assembly)
            {
                return null;
            }

            string candidate = System.IO.Path.Combine(Path, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}

namespace Seedream.DesktopTests
{
    /// <summary>
    /// xUnit's own framework, made before any test is discovered: the module's folder is known to the loader before a
    /// test class (whose async state machines hold the module's types) is even looked at.
    /// </summary>
    public sealed class DesktopTestFramework : XunitTestFramework
    {
        public DesktopTestFramework(IMessageSink messageSink)
            : base(messageSink)
        {
            ModuleFolder.Install();
        }
    }
}
