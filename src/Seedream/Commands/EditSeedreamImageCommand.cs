using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Edit-SeedreamImage: edits reference images. Each pipeline item is its own request; -Image a,b,c in one call
    /// is a fusion in that order; -Fuse gathers every piped image into one fusion request; -MaxImages makes a sequence.
    /// </summary>
    [Cmdlet(VerbsData.Edit, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SeedreamImage))]
    public sealed class EditSeedreamImageCommand : GenerationCmdlet
    {
        private readonly List<ReferenceImage> _gathered = new List<ReferenceImage>();

        [Parameter(Mandatory = true, Position = 0)]
        [AllowEmptyString]
        public string Prompt { get; set; } = "";

        /// <summary>URLs, data URIs, file paths, FileInfo objects or earlier results (by their Url or inline bytes).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [Alias("Url", "FullName", "Path")]
        public object[] Image { get; set; } = Array.Empty<object>();

        [Parameter]
        [Alias("Fusion")]
        public SwitchParameter Fuse { get; set; }

        protected override void ProcessRecord()
        {
            var images = new List<ReferenceImage>();
            foreach (object item in Image)
            {
                images.AddRange(Resolve(item));
            }

            if (Fuse.IsPresent)
            {
                _gathered.AddRange(images);
                return;
            }

            Submit(Prompt, images, Image.Length == 1 ? TargetOf(Image[0]) : Image.Select(TargetOf).ToArray());
        }

        protected override void EndProcessing()
        {
            if (Fuse.IsPresent)
            {
                if (_gathered.Count == 0)
                {
                    StopWithError(SeedreamErrors.InvalidParameterRecord(nameof(Image), "-Fuse received no images to combine.", null));
                }

                Submit(Prompt, _gathered, _gathered.Select(image => image.Description).ToArray());
            }

            base.EndProcessing();
        }

        /// <summary>Turns one input into reference images, checking each before any request; failures name the input and the rule.</summary>
        private IEnumerable<ReferenceImage> Resolve(object? item)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            try
            {
                switch (value)
                {
                    case SeedreamImage result:
                        return new[] { FromResult(result) };
                    case FileInfo file:
                        return new[] { ReferenceImage.FromFile(file.FullName) };
                    case SeedreamImageInfo saved:
                        return new[] { ReferenceImage.FromFile(saved.FullName) };
                    case Uri uri:
                        return new[] { FromText(uri.OriginalString) };
                    case string text:
                        return FromTextOrPaths(text);
                    default:
                        if (item is PSObject withUrl && withUrl.Properties["Url"]?.Value is string propertyUrl)
                        {
                            return new[] { FromText(propertyUrl) };
                        }

                        throw new InvalidDataException($"cannot use a {value?.GetType().Name ?? "null"} as an image; give a URL, a data URI, a file path, a FileInfo or a Seedream result.");
                }
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is FileNotFoundException || ex is ItemNotFoundException || ex is IOException || ex is UnauthorizedAccessException)
            {
                StopWithError(new ErrorRecord(
                    new Api.SeedreamValidationException(nameof(Image), $"Parameter -Image: {ex.Message}"),
                    SeedreamErrors.InvalidImage, ErrorCategory.InvalidArgument, TargetOf(item)));
                throw; // not reached: StopWithError throws
            }
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
        private static object? TargetOf(object? item)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            return value is string text && ReferenceImage.IsDataUri(text) ? Api.RequestBodyWriter.Shorten(text) : value;
        }

        private static ReferenceImage FromText(string text)
        {
            if (ReferenceImage.IsHttpUrl(text))
            {
                return ReferenceImage.FromUrl(text);
            }

            if (ReferenceImage.IsDataUri(text))
            {
                return ReferenceImage.FromDataUri(text);
            }

            throw new InvalidDataException($"'{text}' is not an http(s) URL, a data URI or an existing file.");
        }

        private IEnumerable<ReferenceImage> FromTextOrPaths(string text)
        {
            if (ReferenceImage.IsHttpUrl(text) || ReferenceImage.IsDataUri(text))
            {
                return new[] { FromText(text) };
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme.Length > 1 && !uri.IsFile)
            {
                throw new InvalidDataException($"'{text}' is a {uri.Scheme}: URI; only http(s) URLs, data URIs and files can be used.");
            }

            // A path, resolved against the PowerShell location; wildcards may name several files.
            Collection<string> paths;
            try
            {
                paths = GetResolvedProviderPathFromPSPath(text, out ProviderInfo provider);
                if (provider.Name != "FileSystem")
                {
                    throw new InvalidDataException($"'{text}' is not on the file system.");
                }
            }
            catch (ItemNotFoundException)
            {
                throw new InvalidDataException($"'{text}' is not an http(s) URL, a data URI or an existing file.");
            }

            if (paths.Count == 0)
            {
                throw new InvalidDataException($"'{text}' matches no file; give an http(s) URL, a data URI or the path of an existing image file.");
            }

            var images = new List<ReferenceImage>();
            foreach (string path in paths)
            {
                images.Add(ReferenceImage.FromFile(path));
            }

            return images;
        }
    }
}
