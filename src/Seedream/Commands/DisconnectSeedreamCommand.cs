using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>Disconnect-Seedream: forgets what Connect-Seedream set in this session.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Seedream")]
    public sealed class DisconnectSeedreamCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            bool wasConnected = ConnectionDefaults.Current != null;
            ConnectionDefaults.Current = null;
            WriteVerbose(wasConnected ? "Cleared the Seedream connection of this session." : "There was no Seedream connection to clear.");
        }
    }
}
