using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Seedream.Api;
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
    public sealed class EditSeedreamImageCommand : GenerationCmdlet
    {
        private const string ImageSet = "Image";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
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
            catch (RefusedInput refused)
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
                    "give the edit's own prompt (-Prompt 'text' or a script block); the prompt of a piped result is not reused.", TargetOf(Image[0])));
                return;
            }

            var images = new List<ReferenceImage>();
            object? target;
            switch (ParameterSetName)
            {
                case PathSet:
                    target = Path.Length == 1 ? Path[0] : (object)Path;
                    foreach (string path in Path)
                    {
                        images.AddRange(ReadFiles(path, literal: false, nameof(Path)));
                    }

                    break;
                case LiteralPathSet:
                    target = LiteralPath.Length == 1 ? LiteralPath[0] : (object)LiteralPath;
                    foreach (string path in LiteralPath)
                    {
                        images.AddRange(ReadFiles(path, literal: true, nameof(LiteralPath)));
                    }

                    break;
                default:
                    target = Image.Length == 1 ? TargetOf(Image[0]) : Image.Select(TargetOf).ToArray();
                    foreach (SeedreamImageInput item in Image)
                    {
                        images.Add(Resolve(item));
                    }

                    break;
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

        /// <summary>The files one -Path or -LiteralPath value names, each checked and encoded; a failure stops before any request.</summary>
        private IEnumerable<ReferenceImage> ReadFiles(string path, bool literal, string parameterName)
        {
            try
            {
                return PathResolver.ResolveFiles(this, path, literal, parameterName).Select(ReferenceImage.FromFile).ToList();
            }
            catch (Exception ex) when (IsInputProblem(ex))
            {
                throw Refuse(ex, parameterName, path);
            }
        }

        /// <summary>Turns one -Image value into a reference image, checked before any request; failures name the input and the rule.</summary>
        private ReferenceImage Resolve(SeedreamImageInput input)
        {
            try
            {
                switch (input.Value)
                {
                    case SeedreamImage result:
                        return FromResult(result);
                    case FileSystemInfo file:
                        return ReferenceImage.FromFile(file.FullName);
                    case SeedreamImageInfo saved:
                        return ReferenceImage.FromFile(saved.FullName);
                    case Uri uri:
                        return FromText(uri.OriginalString);
                    case string text:
                        return FromText(text);
                    default:
                        if (PSObject.AsPSObject(input.Value).Properties["Url"]?.Value is string propertyUrl)
                        {
                            return FromText(propertyUrl);
                        }

                        throw new InvalidDataException($"cannot use a {input.Value.GetType().Name} as an image; give a URL, a data URI, a file path, a FileInfo or a Seedream result.");
                }
            }
            catch (Exception ex) when (IsInputProblem(ex))
            {
                throw Refuse(ex, nameof(Image), TargetOf(input));
            }
        }

        private static bool IsInputProblem(Exception ex) =>
            ex is SeedreamValidationException || ex is InvalidDataException || ex is FileNotFoundException || ex is ItemNotFoundException ||
            ex is IOException || ex is UnauthorizedAccessException;

        /// <summary>The input's problem, naming the parameter and the rule; ProcessRecord decides whether it stops the call or fails the item.</summary>
        private static Exception Refuse(Exception ex, string parameterName, object? target)
        {
            string message = ex is SeedreamValidationException ? ex.Message : $"Parameter -{parameterName}: {ex.Message}";
            return new RefusedInput(new ErrorRecord(new SeedreamValidationException(parameterName, message), SeedreamErrors.InvalidImage, ErrorCategory.InvalidArgument, target));
        }

        /// <summary>An input refused before any request, carrying its error record.</summary>
        private sealed class RefusedInput : Exception
        {
            public RefusedInput(ErrorRecord record)
                : base(record.Exception.Message) => Record = record;

            public ErrorRecord Record { get; }
        }

        private static ReferenceImage FromResult(SeedreamImage result)
        {
            if (result.Url != null && !result.IsExpired)
            {
                return ReferenceImage.FromUrl(result.Url);
            }

            if (result.ImageBytes != null)
            {
                return ReferenceImage.FromBytes(result.ImageBytes, $"the inline image {result.Index} of '{result.Prompt}'");
            }

            throw new InvalidDataException($"the result's URL expired at {result.ExpiresAt:u} (hosted images live 24 hours) and it holds no inline image; generate it again.");
        }

        /// <summary>What an error names as its target: the input itself, but a data URI only by its start and length.</summary>
        private static object? TargetOf(SeedreamImageInput? input) => input?.Value switch
        {
            string text when ReferenceImage.IsDataUri(text) => RequestBodyWriter.Shorten(text),
            null => null,
            _ => input.Value,
        };

        /// <summary>
        /// A string given to -Image: an http(s) URL, a data URI, a file: URI, or a file path taken literally (through the
        /// provider, so PSDrives such as Temp: work). Other URI schemes and empty strings are refused.
        /// </summary>
        private ReferenceImage FromText(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InvalidDataException("an empty string is not an image; give an http(s) URL, a data URI or the path of an image file.");
            }

            if (ReferenceImage.IsHttpUrl(text))
            {
                return ReferenceImage.FromUrl(text);
            }

            if (ReferenceImage.IsDataUri(text))
            {
                return ReferenceImage.FromDataUri(text);
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme.Length > 1 && !PathResolver.IsProviderPath(this, text))
            {
                if (uri.IsFile)
                {
                    if (uri.Host.Length == 0 && (uri.AbsolutePath.Length == 0 || uri.AbsolutePath == "/"))
                    {
                        throw new InvalidDataException($"'{text}' names no file; a file: URI needs a path, for example file:///home/me/photo.png.");
                    }

                    return ReferenceImage.FromFile(PathResolver.ResolveFiles(this, uri.LocalPath, literal: true, nameof(Image))[0]);
                }

                throw new InvalidDataException($"'{text}' uses the {uri.Scheme}: scheme; only http(s) URLs, data URIs and files can be used (download it first, or give its http(s) address).");
            }

            return ReferenceImage.FromFile(PathResolver.ResolveFiles(this, text, literal: true, nameof(Image))[0]);
        }
    }
}
