using System;
using System.IO;
using System.Linq;
using Seedream.Catalog;

namespace Seedream.Imaging
{
    /// <summary>A reference image as it goes on the wire: an http(s) URL or a data URI, with where it came from.</summary>
    public sealed class ReferenceImage
    {
        private ReferenceImage(string wireValue, string description, SeedreamReference reference, ReferenceFacts facts)
        {
            WireValue = wireValue;
            Description = description;
            Reference = reference;
            Facts = facts;
        }

        /// <summary>What goes into the request's image array (may be megabytes of base64: never put it in a message or an error target).</summary>
        internal string WireValue { get; }

        /// <summary>Short text for messages: the URL without its query, or the file path; never a payload.</summary>
        public string Description { get; }

        /// <summary>How the reference is recorded with the results (provenance): the URL, or the file name and SHA-256 of the bytes.</summary>
        public SeedreamReference Reference { get; }

        /// <summary>What the model's per-image rules check (<see cref="RequestRules"/>): format, bytes and pixels where known.</summary>
        internal ReferenceFacts Facts { get; }

        public static bool IsHttpUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

        public static bool IsDataUri(string value) => value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);

        public static ReferenceImage FromUrl(string url)
        {
            string description = new Uri(url).GetLeftPart(UriPartial.Path);
            return new ReferenceImage(url, description, new SeedreamReference { Kind = SeedreamReferenceKind.Url, Url = url }, new ReferenceFacts(description));
        }

        /// <summary>
        /// Checks a data URI's form: data:image/&lt;png|jpeg|webp|bmp|tiff|gif&gt;;base64,&lt;payload&gt;, lower-case format,
        /// and a payload that is valid base64. Messages never repeat the payload.
        /// </summary>
        public static ReferenceImage FromDataUri(string dataUri)
        {
            int comma = dataUri.IndexOf(',');
            string head = comma < 0 ? dataUri : dataUri.Substring(0, comma);
            const string prefix = "data:image/";
            const string suffix = ";base64";
            string format = head.StartsWith(prefix, StringComparison.Ordinal) && head.EndsWith(suffix, StringComparison.Ordinal)
                ? head.Substring(prefix.Length, head.Length - prefix.Length - suffix.Length)
                : "";
            if (comma < 0 || comma == dataUri.Length - 1 || !ModelCatalog.ReferenceImageFormats.Contains(format))
            {
                throw new InvalidDataException(
                    $"a data URI must look like data:image/<{string.Join("|", ModelCatalog.ReferenceImageFormats)}>;base64,<data> (lower-case format); got '{RequestShorten(dataUri)}'.");
            }

            if (!IsBase64(dataUri, comma + 1))
            {
                throw new InvalidDataException($"the payload of the data URI '{RequestShorten(dataUri)}' is not valid base64.");
            }

            string description = $"data:image/{format} ({dataUri.Length - comma - 1:N0} base64 chars)";
            byte[] bytes = Convert.FromBase64String(dataUri.Substring(comma + 1));
            ImageHeader header = CheckImage(bytes, $"the data URI {description}");
            if (header.MimeSubtype != format)
            {
                throw new InvalidDataException($"the data URI {description} says image/{format} but holds a {header.MimeSubtype} image.");
            }

            return new ReferenceImage(dataUri, description, Recorded(SeedreamReferenceKind.DataUri, null, bytes, header), FactsOf(header, bytes, $"the data URI {description}"));
        }

        /// <summary>An image held in memory (a Base64Json result), checked like a file and sent as a data URI.</summary>
        public static ReferenceImage FromBytes(byte[] bytes, string description) =>
            Encode(bytes, description, description, SeedreamReferenceKind.Result, description);

        private static ReferenceImage Encode(byte[] bytes, string what, string description, SeedreamReferenceKind kind, string name)
        {
            ImageHeader header = CheckImage(bytes, what);
            return new ReferenceImage($"data:image/{header.MimeSubtype};base64,{Convert.ToBase64String(bytes)}", description, Recorded(kind, name, bytes, header),
                FactsOf(header, bytes, what));
        }

        private static ReferenceFacts FactsOf(ImageHeader header, byte[] bytes, string what) =>
            new ReferenceFacts(what, header.MimeSubtype, bytes.Length, header.Width, header.Height, AlphaOf(header, bytes));

        /// <summary>Whether the image has an alpha channel, where its header tells: PNG from its chunks, JPEG never; null for the other formats.</summary>
        private static bool? AlphaOf(ImageHeader header, byte[] bytes) => header.Format switch
        {
            ImageFormat.Png => ImageHeaderReader.PngHasAlpha(bytes),
            ImageFormat.Jpeg => false,
            _ => null,
        };

        /// <summary>The record of bytes sent: hashed here, once, while they are in memory anyway.</summary>
        private static SeedreamReference Recorded(SeedreamReferenceKind kind, string? name, byte[] bytes, ImageHeader header) =>
            new SeedreamReference { Kind = kind, Name = name, Sha256 = Sha256Hash.Hex(bytes), Format = header.MimeSubtype };

        /// <summary>
        /// Reads a local image: checks its format by magic bytes, its size, and its dimensions from the header,
        /// then encodes it as a data URI. Each failure names the file (by its name, not its machine path) and the rule.
        /// </summary>
        public static ReferenceImage FromFile(string path)
        {
            var file = new FileInfo(path);
            string name = file.Name;
            if (!file.Exists)
            {
                throw Directory.Exists(file.FullName)
                    ? new InvalidDataException($"'{name}' is a folder, not an image file; name the files, for example '{name}/*.png'.")
                    : new FileNotFoundException($"the image file '{name}' does not exist.", name);
            }

            if (file.Length > ModelCatalog.MaxReferenceImageBytes)
            {
                // Checked before reading, so a huge file is never loaded.
                throw new InvalidDataException(TooLarge($"the image file '{name}'", file.Length));
            }

            return Encode(File.ReadAllBytes(file.FullName), $"the image file '{name}'", name, SeedreamReferenceKind.File, name);
        }

        /// <summary>The per-image rules of the API for bytes about to be sent: size, a known format by magic bytes, dimensions.</summary>
        private static ImageHeader CheckImage(byte[] bytes, string what)
        {
            if (bytes.Length > ModelCatalog.MaxReferenceImageBytes)
            {
                throw new InvalidDataException(TooLarge(what, bytes.Length));
            }

            if (!ImageHeaderReader.TryRead(bytes, out ImageHeader header, out string? error))
            {
                throw new InvalidDataException($"{what} cannot be used as an image: {error}.");
            }

            CheckDimensions(header, what);
            return header;
        }

        private static string TooLarge(string what, long bytes) =>
            $"{what} is {bytes:N0} bytes; a reference image may be at most {ModelCatalog.MaxReferenceImageBytes:N0} bytes ({ModelCatalog.MaxReferenceImageBytes / (1024 * 1024)} MB).";

        /// <summary>The per-image limits of the API: each side over 14 px, aspect within [1/16, 16], at most 36 million pixels.</summary>
        public static void CheckDimensions(ImageHeader header, string what)
        {
            if (header.Width < ModelCatalog.MinReferenceImageSide || header.Height < ModelCatalog.MinReferenceImageSide)
            {
                throw new InvalidDataException($"{what} is {header.Width}x{header.Height}; width and height must each be over 14 pixels.");
            }

            if (!RequestRules.IsAspectAllowed(header.Width, header.Height))
            {
                throw new InvalidDataException(
                    $"{what} is {header.Width}x{header.Height}, an aspect ratio of {(double)header.Width / header.Height:0.###}; width / height must be between 1/16 and 16.");
            }

            long pixels = (long)header.Width * header.Height;
            if (pixels > ModelCatalog.MaxReferenceImagePixels)
            {
                throw new InvalidDataException($"{what} is {header.Width}x{header.Height} = {pixels:N0} pixels; at most {ModelCatalog.MaxReferenceImagePixels:N0} are allowed.");
            }
        }

        /// <summary>Strict base64 (RFC 4648 alphabet, padded to a multiple of 4) from <paramref name="start"/> to the end.</summary>
        private static bool IsBase64(string text, int start)
        {
            int length = text.Length - start;
            if (length <= 0 || length % 4 != 0)
            {
                return false;
            }

            int padding = text[text.Length - 1] == '=' ? (text[text.Length - 2] == '=' ? 2 : 1) : 0;
            for (int i = start; i < text.Length - padding; i++)
            {
                char c = text[i];
                bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }

        private static string RequestShorten(string value) => Api.RequestBodyWriter.Shorten(value);
    }
}
