using System;
using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>Get-SeedreamConnection: the provider, base URI and key source a call would use now; never the key.</summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamConnection")]
    [OutputType(typeof(SeedreamConnection))]
    public sealed class GetSeedreamConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            try
            {
                WriteObject(SeedreamConnection.Resolve(null, null, null));
            }
            catch (UriFormatException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, SeedreamErrors.InvalidParameter, ErrorCategory.InvalidArgument, SeedreamConnection.BaseUriVariable));
            }
        }
    }
}
