using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

namespace Seedream
{
    /// <summary>
    /// Windows PowerShell (.NET Framework) has no binding redirects for a module's dependencies: when one of the module's
    /// assemblies asks for a dependency at a version other than the one shipped (System.Text.Json asking for an older
    /// System.Memory, say), the load fails unless an AssemblyResolve handler answers. This one answers only
    /// <list type="bullet">
    /// <item>for an assembly shipped in the module folder (same simple name, same public key token, neutral culture),</item>
    /// <item>when the requester is the module itself or one of the assemblies loaded from its folder, and</item>
    /// <item>when the shipped version is at least the one asked for,</item>
    /// </list>
    /// so it never hands another module's or PowerShell's request a copy it did not ask for. Knows nothing of PowerShell
    /// (the desktop test lane installs it on Mono).
    /// </summary>
    internal sealed class ModuleDependencyResolver
    {
        private readonly string _folder;
        private readonly Assembly _module;
        private readonly ConcurrentDictionary<string, AssemblyName?> _shipped = new ConcurrentDictionary<string, AssemblyName?>(StringComparer.OrdinalIgnoreCase);

        public ModuleDependencyResolver(Assembly module)
        {
            _module = module;
            _folder = Path.GetDirectoryName(module.Location) ?? "";
        }

        /// <summary>Adds the handler once, however often the module is imported.</summary>
        public void Install()
        {
            AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public void Uninstall() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        /// <summary>The AssemblyResolve handler; null when the request is not the module's to answer.</summary>
        public Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            try
            {
                if (!IsFromTheModule(args.RequestingAssembly))
                {
                    return null;
                }

                var asked = new AssemblyName(args.Name);
                if (string.IsNullOrEmpty(asked.Name) || !(Shipped(asked.Name!) is AssemblyName shipped))
                {
                    return null;
                }

                if (!string.IsNullOrEmpty(asked.CultureName) ||
                    (asked.Version != null && shipped.Version != null && shipped.Version < asked.Version) ||
                    !SameToken(asked.GetPublicKeyToken(), shipped.GetPublicKeyToken()))
                {
                    return null;
                }

                return Assembly.LoadFrom(Path.Combine(_folder, shipped.Name + ".dll"));
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is ArgumentException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                // An AssemblyResolve handler must not throw: the load then fails as it would have without us.
                return null;
            }
        }

        private bool IsFromTheModule(Assembly? requester)
        {
            if (requester is null)
            {
                return false;
            }

            if (requester == _module)
            {
                return true;
            }

            if (requester.IsDynamic)
            {
                return false;
            }

            string location = requester.Location;
            return location.Length > 0 &&
                   string.Equals(Path.GetDirectoryName(location), _folder, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The name of the module folder's copy of <paramref name="simpleName"/>, or null when it ships none.</summary>
        private AssemblyName? Shipped(string simpleName) =>
            _shipped.GetOrAdd(simpleName, name =>
            {
                if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                {
                    return null;
                }

                string candidate = Path.Combine(_folder, name + ".dll");
                if (!File.Exists(candidate))
                {
                    return null;
                }

                AssemblyName found = AssemblyName.GetAssemblyName(candidate);
                return string.Equals(found.Name, name, StringComparison.OrdinalIgnoreCase) ? found : null;
            });

        private static bool SameToken(byte[]? asked, byte[]? shipped)
        {
            if (asked is null || asked.Length == 0)
            {
                return true; // the request does not say: any copy of that name will do
            }

            if (shipped is null || shipped.Length != asked.Length)
            {
                return false;
            }

            for (int i = 0; i < asked.Length; i++)
            {
                if (asked[i] != shipped[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
