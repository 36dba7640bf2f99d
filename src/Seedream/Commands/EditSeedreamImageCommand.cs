using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Edit-SeedreamImage: edits reference images. Each pipeline item is its own request; several images in one call
    /// (-Image a,b,c, or -Path with a wildcard) are a fusion in that order; -Fuse gathers every piped image into one fusion
    /// request; -MaxImages makes a sequence. -Image takes URLs, data URIs, results and literal file paths; -Path takes
    /// file paths with wildcards; -LiteralPath (PSPath) takes them as typed and binds from Get-ChildItem by property name.
    /// Paths go through <see cref="PathResolver"/>, so PSDrives work.
    /// </summary>
    [Cmdlet(VerbsData.Edit, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ImageSet)]
    [OutputType(typeof(SeedreamImage))]
    public sealed class EditSeedreamImageCommand : CreationCmdlet
    {
        private const string ImageSet = ImageInputReader.ImageSet;
        private const string PathSet = ImageInputReader.PathSet;
        private const string LiteralPathSet = ImageInputReader.LiteralPathSet;
        private readonly List<ReferenceImage> _gathered = new List<ReferenceImage>();

        /// <summary>Binds by property name too, so a delay-bind script block ({ "restyle " + $_.BaseName }) makes each file's own prompt.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string Prompt { get; set; } = "";

        /// <summary>
        /// URLs, data URIs, file paths (literal), FileInfo objects or earlier results (by their Url or inline bytes). A piped
        /// row (Import-Csv) gives its Image column (or Url, FullName, Path): one path or URL, or several separated by ';'.
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        [Alias("Url")]
        [SeedreamImageInputTransformation]
        public SeedreamImageInput[] Image { get; set; } = Array.Empty<SeedreamImageInput>();

        /// <summary>Image files; wildcards expand through the provider (PSDrives included).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files taken exactly as typed; binds PSPath from Get-ChildItem and Get-Item output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        [Parameter]
        [Alias("Fusion")]
        public SwitchParameter Fuse { get; set; }

        protected override string ImageParameterName => ParameterSetName;

        /// <summary>This item's images came from the pipeline (one request per piped file, URL or row).</summary>
        protected override bool ImagesPerItem => !Fuse.IsPresent && ParameterSetName != PathSet && PerItem(ParameterSetName);

        /// <summary>
        /// A piped earlier result, or a file (Get-ChildItem, Get-Item: it binds -LiteralPath): its own properties (a result's
        /// Prompt, Model, Size and OutputFormat; a file's Size, its length) describe it, not the edit, and are not taken.
        /// </summary>
        protected override bool IgnoresPipedValues =>
            (ParameterSetName == ImageSet && PerItem(nameof(Image)) && Image.Length == 1 &&
             (Image[0]?.Value is SeedreamImage || Image[0]?.Value is FileSystemInfo || Image[0]?.Value is SeedreamImageInfo)) ||
            (ParameterSetName == LiteralPathSet && PerItem(nameof(LiteralPath)));

        protected override void ProcessRecord()
        {
            try
            {
                Process();
            }
            catch (ImageInputReader.RefusedInput refused)
            {
                // One bad piped file or URL is that item's error; a bad value bound for the whole call (or one image of a -Fuse) stops before any request.
                if (ImagesPerItem)
                {
                    WriteItemError(refused.Record);
                    return;
                }

                StopWithError(refused.Record);
            }
        }

        private void Process()
        {
            if (IgnoresPipedValues && ParameterSetName == ImageSet && (Image[0]?.Value is SeedreamImage || Image[0]?.Value is SeedreamImageInfo) && !Given(nameof(Prompt), Prompt))
            {
                WriteItemError(SeedreamErrors.InvalidParameterRecord(nameof(Prompt),
                    "give the edit's own prompt (-Prompt 'text' or a script block); the prompt of a piped result is not reused.", ImageInputReader.TargetOf(Image[0])));
                return;
            }

            (List<ReferenceImage> images, object? target) = new ImageInputReader(this).Read(ParameterSetName, Image, Path, LiteralPath);

            if (Fuse.IsPresent)
            {
                _gathered.AddRange(images);
                return;
            }

            Submit(Prompt, images, target);
        }

        protected override void EndProcessing()
        {
            if (Fuse.IsPresent)
            {
                if (_gathered.Count == 0)
                {
                    StopWithError(SeedreamErrors.InvalidParameterRecord(ParameterSetName, "-Fuse received no images to combine.", null));
                }

                Submit(Prompt, _gathered, _gathered.Select(image => image.Description).ToArray());
            }

            base.EndProcessing();
        }
    }
}
