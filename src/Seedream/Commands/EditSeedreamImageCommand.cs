using System;
using System.Collections.Generic;
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

        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public string Prompt { get; set; } = "";

        /// <summary>URLs, data URIs, file paths (literal), FileInfo objects or earlier results (by their Url or inline bytes).</summary>
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

        protected override void ProcessRecord()
        {
            List<ReferenceImage> images;
            object? target;
            try
            {
                (images, target) = new ImageInputReader(this).Read(ParameterSetName, Image, Path, LiteralPath);
            }
            catch (ImageInputReader.RefusedInput refused)
            {
                StopWithError(refused.Record);
                return;
            }

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
