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
    /// The input images of Edit-SeedreamImage and Split-SeedreamImage: -Image values (URLs, data URIs, results, FileInfo,
    /// literal file paths), -Path (wildcards) and -LiteralPath (PSPath from Get-ChildItem) turned into checked reference
    /// images, before any request. Paths go through <see cref="PathResolver"/>, so PSDrives work. A problem is thrown as
    /// <see cref="RefusedInput"/>, whose record names the parameter, the input and the rule; the cmdlet decides whether it
    /// stops the call or is that pipeline item's error.
    /// </summary>
    internal sealed class ImageInputReader
    {
        public const string ImageSet = "Image";
        public const string PathSet = "Path";
        public const string LiteralPathSet = "LiteralPath";

        private readonly PSCmdlet _cmdlet;

        public ImageInputReader(PSCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>The images one pipeline item (or the command line) gives in a parameter set, in order, and the target errors name.</summary>
        public (List<ReferenceImage> Images, object? Target) Read(string parameterSet, SeedreamImageInput[] image, string[] path, string[] literalPath)
        {
            var images = new List<ReferenceImage>();
            object? target;
            switch (parameterSet)
            {
                case PathSet:
                    target = path.Length == 1 ? path[0] : (object)path;
                    foreach (string one in path)
                    {
                        images.AddRange(ReadFiles(one, literal: false, PathSet));
                    }

                    break;
                case LiteralPathSet:
                    target = literalPath.Length == 1 ? literalPath[0] : (object)literalPath;
                    foreach (string one in literalPath)
                    {
                        images.AddRange(ReadFiles(one, literal: true, LiteralPathSet));
                    }

                    break;
                default:
                    target = image.Length == 1 ? TargetOf(image[0]) : image.Select(TargetOf).ToArray();
                    foreach (SeedreamImageInput item in image)
                    {
                        images.Add(Resolve(item));
                    }

                    break;
            }

            return (images, target);
        }

        /// <summary>The files one -Path or -LiteralPath value names, each checked and encoded; a failure stops before any request.</summary>
        private IEnumerable<ReferenceImage> ReadFiles(string path, bool literal, string parameterName)
        {
            try
            {
                return PathResolver.ResolveFiles(_cmdlet, path, literal, parameterName).Select(ReferenceImage.FromFile).ToList();
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
                throw Refuse(ex, ImageSet, TargetOf(input));
            }
        }

        private static bool IsInputProblem(Exception ex) =>
            ex is SeedreamValidationException || ex is InvalidDataException || ex is FileNotFoundException || ex is ItemNotFoundException ||
            ex is IOException || ex is UnauthorizedAccessException;

        /// <summary>The input's problem, naming the parameter and the rule, to be thrown.</summary>
        private static Exception Refuse(Exception ex, string parameterName, object? target)
        {
            string message = ex is SeedreamValidationException ? ex.Message : $"Parameter -{parameterName}: {ex.Message}";
            return new RefusedInput(new ErrorRecord(new SeedreamValidationException(parameterName, message), SeedreamErrors.InvalidImage, ErrorCategory.InvalidArgument, target));
        }

        /// <summary>An input refused before any request, carrying its error record.</summary>
        public sealed class RefusedInput : Exception
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
        internal static object? TargetOf(SeedreamImageInput? input) => input?.Value switch
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

            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme.Length > 1 && !PathResolver.IsProviderPath(_cmdlet, text))
            {
                if (uri.IsFile)
                {
                    if (uri.Host.Length == 0 && (uri.AbsolutePath.Length == 0 || uri.AbsolutePath == "/"))
                    {
                        throw new InvalidDataException($"'{text}' names no file; a file: URI needs a path, for example file:///home/me/photo.png.");
                    }

                    return ReferenceImage.FromFile(PathResolver.ResolveFiles(_cmdlet, uri.LocalPath, literal: true, ImageSet)[0]);
                }

                throw new InvalidDataException($"'{text}' uses the {uri.Scheme}: scheme; only http(s) URLs, data URIs and files can be used (download it first, or give its http(s) address).");
            }

            return ReferenceImage.FromFile(PathResolver.ResolveFiles(_cmdlet, text, literal: true, ImageSet)[0]);
        }
    }
}
