using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Seedream.Api;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Export-SeedreamGallery: one self-contained index.html beside saved images, from the records Save-SeedreamResult
    /// wrote into them: a thumbnail per image that opens the file, grouped by request, in answer order, with the prompt,
    /// model, size, time and estimated cost. No script, no network; every text is HTML-encoded.
    /// </summary>
    [Cmdlet(VerbsData.Export, "SeedreamGallery", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportSeedreamGalleryCommand : PSCmdlet
    {
        public const string DefaultFileName = "index.html";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private readonly List<GalleryPage.Entry> _entries = new List<GalleryPage.Entry>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private string? _firstFolder;
        private string? _outFile;

        /// <summary>Folders of saved images, or image files; wildcards allowed. The current folder by default.</summary>
        [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        public string[] Path { get; set; } = { "." };

        /// <summary>Folders or files taken as written; FileInfo and Get-SeedreamImageInfo objects bind here by their PSPath.</summary>
        [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The page to write; index.html in the (first) folder of the images by default.</summary>
        [Parameter]
        public string? OutFile { get; set; }

        /// <summary>The page's heading.</summary>
        [Parameter]
        public string? Title { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (OutFile is null)
            {
                return;
            }

            try
            {
                _outFile = PathResolver.ResolveOutput(this, OutFile, nameof(OutFile));
            }
            catch (SeedreamValidationException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, SeedreamErrors.InvalidParameter, ErrorCategory.InvalidArgument, OutFile));
            }
        }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string current = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            foreach ((string file, bool named) in ImageInfoReader.Files(this, literal ? LiteralPath : Path, literal))
            {
                string full = System.IO.Path.GetFullPath(file);
                if (!_seen.Add(full))
                {
                    continue;
                }

                try
                {
                    if (ImageInfoReader.IsSidecar(full) || !ImageInfoReader.IsImage(full))
                    {
                        if (named && !ImageInfoReader.IsSidecar(full))
                        {
                            WriteWarning($"'{full}' is not an image; it is left out of the gallery.");
                        }

                        continue;
                    }

                    SeedreamImageInfo? info = ImageInfoReader.Read(full, GetSeedreamImageInfoCommand.ProviderPathOf(full), new[] { current }, WriteVerbose);
                    _firstFolder ??= System.IO.Path.GetDirectoryName(full);
                    _entries.Add(new GalleryPage.Entry(full, info, info is null ? Header(full) : null));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(SeedreamErrors.Record(ex, ex is InvalidDataException ? SeedreamErrors.InvalidImage : "Seedream.ReadFailed",
                        ex is InvalidDataException ? ErrorCategory.InvalidData : ErrorCategory.ReadError, full));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_entries.Count == 0)
            {
                WriteWarning("No images were found; no gallery was written.");
                return;
            }

            string page = _outFile ?? System.IO.Path.Combine(_firstFolder ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath, DefaultFileName);
            if (Directory.Exists(page))
            {
                page = System.IO.Path.Combine(page, DefaultFileName);
            }

            int unrecorded = _entries.Count(e => e.Info is null);
            if (unrecorded > 0)
            {
                WriteWarning($"{unrecorded} of {_entries.Count} image(s) hold no Seedream record; the gallery shows them by file name only.");
            }

            if (!ShouldProcess($"{page} ({_entries.Count} image(s))", "Write Seedream gallery page"))
            {
                return;
            }

            if (File.Exists(page) && !Force.IsPresent)
            {
                WriteError(new ErrorRecord(new IOException($"'{page}' already exists; use -Force to overwrite it."), SeedreamErrors.FileExists, ErrorCategory.ResourceExists, page));
                return;
            }

            string folder = System.IO.Path.GetDirectoryName(page) ?? ".";
            string title = Title ?? $"Seedream gallery: {System.IO.Path.GetFileName(folder.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar))}";
            try
            {
                Directory.CreateDirectory(folder);
                WriteAtomically(page, GalleryPage.Render(title, folder, _entries, DateTimeOffset.UtcNow));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(SeedreamErrors.Record(ex, SeedreamErrors.WriteFailed, ErrorCategory.WriteError, page));
                return;
            }

            WriteVerbose($"Wrote {page}: {_entries.Count} image(s) in {_entries.Select(e => e.GroupKey).Distinct().Count()} request(s).");
            if (PassThru.IsPresent)
            {
                WriteObject(new FileInfo(page));
            }
        }

        private static ImageHeader? Header(string path)
        {
            using FileStream stream = File.OpenRead(path);
            return ImageHeaderReader.TryRead(stream, out ImageHeader header, out _) ? header : (ImageHeader?)null;
        }

        private static void WriteAtomically(string path, string html)
        {
            string temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? ".", $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
            try
            {
                File.WriteAllText(temporary, html, new UTF8Encoding(false));
                if (File.Exists(path))
                {
                    File.Replace(temporary, path, null);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
