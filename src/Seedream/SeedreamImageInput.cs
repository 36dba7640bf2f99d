using System;
using System.IO;

namespace Seedream
{
    /// <summary>
    /// One value given to Edit-SeedreamImage -Image: an http(s) URL, a data URI, a file path (taken literally), a file,
    /// a Uri, or an earlier result. PowerShell converts strings, Uris, files and results to it on its own, so users never
    /// name this type. Piped objects that carry a PSPath (Get-ChildItem, Get-Item, Select-Object PSPath) become that file,
    /// taken literally, and a row's Image (or Url, FullName, Path) column its images (see
    /// SeedreamImageInputTransformationAttribute): since the per-request parameters bind by property name, PowerShell keeps
    /// piped objects in the -Image parameter set.
    /// </summary>
    public sealed class SeedreamImageInput
    {
        public SeedreamImageInput(string text) => Value = text;

        public SeedreamImageInput(Uri uri) => Value = uri;

        public SeedreamImageInput(FileSystemInfo file) => Value = file;

        public SeedreamImageInput(SeedreamImage result) => Value = result;

        /// <summary>A file Get-SeedreamImageInfo read (piped, it binds -LiteralPath by its PSPath instead).</summary>
        public SeedreamImageInput(SeedreamImageInfo saved) => Value = saved;

        private SeedreamImageInput(object value) => Value = value;

        /// <summary>Anything else (an object with a Url property, say); checked when the image is read.</summary>
        internal static SeedreamImageInput Other(object value) => new SeedreamImageInput(value);

        /// <summary>The value as given: a string, Uri, FileSystemInfo, SeedreamImage, SeedreamImageInfo or another object.</summary>
        public object Value { get; }

        /// <summary>What messages and error targets name: a data URI only by its start and length.</summary>
        public override string ToString() => Value switch
        {
            string text when Imaging.ReferenceImage.IsDataUri(text) => Api.RequestBodyWriter.Shorten(text),
            FileSystemInfo file => file.FullName,
            _ => Value.ToString() ?? "",
        };
    }
}
