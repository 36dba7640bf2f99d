using System;
using System.IO;
using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>
    /// Get-SeedreamImageInfo: reads back the provenance record Save-SeedreamResult wrote into (or beside) saved images:
    /// one <see cref="SeedreamImageInfo"/> per file, a warning for each file without a record.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamImageInfo", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(SeedreamImageInfo))]
    public sealed class GetSeedreamImageInfoCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Image files or folders; wildcards allowed. The current folder by default.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = { "." };

        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            foreach ((string file, bool named) in ImageInfoReader.Files(this, literal ? LiteralPath : Path, literal))
            {
                try
                {
                    if (ImageInfoReader.IsSidecar(file) || !ImageInfoReader.IsImage(file))
                    {
                        if (named && !ImageInfoReader.IsSidecar(file))
                        {
                            WriteWarning($"'{file}' is not an image (PNG, JPEG, WebP, BMP, TIFF or GIF); it has no Seedream record.");
                        }
                        else
                        {
                            WriteVerbose($"Skipped '{file}': not an image.");
                        }

                        continue;
                    }

                    SeedreamImageInfo? info = ImageInfoReader.Read(file, ProviderPathOf(file), new[] { current }, WriteWarning);
                    if (info is null)
                    {
                        WriteWarning($"'{file}' holds no Seedream provenance record (it was saved with -NoProvenance or by another tool, " +
                                     "or a program that rewrote it dropped its metadata), and has no .json sidecar.");
                        continue;
                    }

                    WriteVerbose($"'{file}': {info.Source.ToString().ToLowerInvariant()} record of image {info.Index} of request {info.RequestId}.");
                    WriteObject(info);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(SeedreamErrors.Record(ex, ex is InvalidDataException ? SeedreamErrors.InvalidImage : "Seedream.ReadFailed",
                        ex is InvalidDataException ? ErrorCategory.InvalidData : ErrorCategory.ReadError, file));
                }
            }
        }

        internal static string ProviderPathOf(string file) => "Microsoft.PowerShell.Core\\FileSystem::" + file;
    }
}
