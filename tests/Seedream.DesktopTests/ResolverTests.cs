using System;
using System.IO;
using System.Reflection;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>The module's AssemblyResolve handler (what Windows PowerShell relies on), asked directly.</summary>
    public sealed class ResolverTests
    {
        private static readonly Assembly Module = typeof(Seedream.Api.SeedreamClient).Assembly;
        private static readonly ModuleDependencyResolver Resolver = new ModuleDependencyResolver(Module);

        private static AssemblyName Shipped(string name) => AssemblyName.GetAssemblyName(Path.Combine(ModuleFolder.Path, name + ".dll"));

        private static string WithVersion(AssemblyName name, Version version)
        {
            var copy = (AssemblyName)name.Clone();
            copy.Version = version;
            return copy.FullName;
        }

        [Fact]
        public void TheModule_IsLoadedFromTheModuleFolder_WithItsDependencies()
        {
            Assert.Equal(Path.Combine(ModuleFolder.Path, "Seedream.dll"), Module.Location);
            Assert.Equal(Path.Combine(ModuleFolder.Path, "System.Memory.dll"), typeof(System.Buffers.Text.Base64).Assembly.Location);
            Assert.Equal(Path.Combine(ModuleFolder.Path, "System.Text.Json.dll"), typeof(System.Text.Json.JsonDocument).Assembly.Location);
        }

        [Fact]
        public void AnOlderVersion_AskedByTheModule_GetsTheShippedCopy()
        {
            AssemblyName memory = Shipped("System.Memory");
            Assembly? answer = Resolver.Resolve(null, new ResolveEventArgs(WithVersion(memory, new Version(4, 0, 0, 0)), Module));
            Assert.NotNull(answer);
            Assert.Equal(Path.Combine(ModuleFolder.Path, "System.Memory.dll"), answer!.Location);
        }

        [Fact]
        public void ADependencyOfTheModule_IsAnsweredToo()
        {
            Assembly json = typeof(System.Text.Json.JsonDocument).Assembly;
            AssemblyName unsafeName = Shipped("System.Runtime.CompilerServices.Unsafe");
            Assert.NotNull(Resolver.Resolve(null, new ResolveEventArgs(unsafeName.FullName, json)));
        }

        [Fact]
        public void ANewerVersion_IsNotAnswered()
        {
            AssemblyName memory = Shipped("System.Memory");
            Version newer = new Version(memory.Version!.Major + 1, 0, 0, 0);
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs(WithVersion(memory, newer), Module)));
        }

        [Fact]
        public void ARequestFromOutsideTheModule_IsNotAnswered()
        {
            AssemblyName memory = Shipped("System.Memory");
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs(memory.FullName, typeof(ResolverTests).Assembly)));
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs(memory.FullName, null)));
        }

        [Fact]
        public void AnAssemblyTheModuleDoesNotShip_OrSignedByAnother_IsNotAnswered()
        {
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", Module)));
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs("System.Memory, Version=4.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef", Module)));
            Assert.Null(Resolver.Resolve(null, new ResolveEventArgs("..\\..\\evil, Version=1.0.0.0", Module)));
        }
    }
}
