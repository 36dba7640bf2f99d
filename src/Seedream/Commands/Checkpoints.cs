using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using Seedream.Api;
using Seedream.Checkpoint;

namespace Seedream.Commands
{
    /// <summary>-CheckpointPath for every cmdlet that takes it: the path through <see cref="PathResolver"/>, the journal read, its warnings said.</summary>
    internal static class Checkpoints
    {
        public static string ModuleVersion { get; } =
            typeof(Checkpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ??
            typeof(Checkpoints).Assembly.GetName().Version?.ToString() ?? "0";

        /// <summary>Opens the journal (a missing file is an empty journal); a path that cannot be used stops the call before any request.</summary>
        public static CheckpointJournal Open(PSCmdlet cmdlet, string path)
        {
            const string parameter = "CheckpointPath";
            CheckpointJournal journal;
            try
            {
                journal = CheckpointJournal.Open(PathResolver.ResolveOutputFile(cmdlet, path, parameter), ModuleVersion);
            }
            catch (SeedreamValidationException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, SeedreamErrors.InvalidParameter, ErrorCategory.InvalidArgument, path));
                throw; // not reached
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new SeedreamValidationException(parameter, $"Parameter -{parameter}: cannot read '{path}': {ex.Message}"),
                    SeedreamErrors.InvalidParameter, ErrorCategory.ReadError, path));
                throw; // not reached
            }

            foreach (string warning in journal.Warnings)
            {
                cmdlet.WriteWarning(warning);
            }

            cmdlet.WriteVerbose(journal.EntriesRead == 0
                ? $"Checkpoint '{path}': no entries yet; each answered request is recorded there."
                : $"Checkpoint '{path}': {journal.EntriesRead} entr(y/ies) read; requests it holds as answered are not sent again.");
            return journal;
        }
    }
}
