using System;
using System.Management.Automation;
using System.Security;

namespace Seedream.Commands
{
    /// <summary>
    /// Get-SeedreamConnection: the provider, base URI and key source a call would use now (or with the given
    /// parameters, which take precedence as they would on New-SeedreamImage); never the key. Sends nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamConnection")]
    [OutputType(typeof(SeedreamConnection))]
    public sealed class GetSeedreamConnectionCommand : PSCmdlet
    {
        /// <summary>The provider a call would name with -Provider.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string? Provider { get; set; }

        /// <summary>The key a call would pass with -ApiKey (shown only as its source).</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>The base URI a call would pass with -BaseUri.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        protected override void EndProcessing() =>
            WriteObject(ConnectionResolver.Resolve(this, Provider, BaseUri, ApiKey, requireKey: false));
    }
}
