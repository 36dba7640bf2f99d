using System;
using System.IO;
using System.Linq;
using Seedream.Api;
using Seedream.Catalog;

namespace Seedream.Imaging
{
    /// <summary>A reference image as it goes on the wire: an http(s) URL or a data URI, with where it came from.</summary>
    public sealed class ReferenceImage
    {
        /// <summary>Bytes of a file kept for the shortened -Debug form of its data URI.</summary>
        private const int HeadBytes = 64;

        private ReferenceImage(RequestImage wire, string description, SeedreamReference reference, ReferenceFacts facts)
        {
            Wire = wire;
            Description = description;
            Reference = reference;
            Facts = facts;
        }

        /// <summary>
        /// What goes into the request's image array: the URL or data URI string, or the file or bytes encoded as the
        /// body is written (never held as base64 text; never put it in a message or an error target).
        /// </summary>
        internal RequestImage Wire { get; }

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
            return new ReferenceImage(RequestImage.FromText(url), description, new SeedreamReference { Kind = SeedreamReferenceKind.Url, Url = url }, new ReferenceFacts(description));
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
            string what = $"the data URI {description}";

            // Decoded a chunk at a time for the checks and the hash: the string is the only copy of the payload held.
            long length = Base64TextStream.DecodedLength(dataUri, comma + 1);
            ImageHeader header;
            string sha256;
            byte[] probe;
            using (var payload = new Base64TextStream(dataUri, comma + 1))
            {
                header = CheckImage(payload, length, what);
                probe = ReadStart(payload, Math.Min(length, ProbeBytes));
                sha256 = Sha256Hash.Hex(payload);
            }

            if (header.MimeSubtype != format)
            {
                throw new InvalidDataException($"the data URI {description} says image/{format} but holds a {header.MimeSubtype} image.");
            }

            return new ReferenceImage(RequestImage.FromText(dataUri), description, Recorded(SeedreamReferenceKind.DataUri, null, sha256, header),
                FactsOf(header, length, probe, what));
        }

        /// <summary>An image held in memory (a Base64Json result), checked like a file and sent as a data URI.</summary>
        public static ReferenceImage FromBytes(byte[] bytes, string description) =>
            Encode(bytes, description, description, SeedreamReferenceKind.Result, description);

        private static ReferenceImage Encode(byte[] bytes, string what, string description, SeedreamReferenceKind kind, string name)
        {
            ImageHeader header;
            using (var stream = new MemoryStream(bytes, writable: false))
            {
                header = CheckImage(stream, bytes.Length, what);
            }

            // The result already holds the bytes: they are encoded from that array as the body is written.
            return new ReferenceImage(RequestImage.FromBytes(bytes, header.MimeSubtype), description, Recorded(kind, name, Sha256Hash.Hex(bytes), header),
                FactsOf(header, bytes.Length, bytes, what));
        }

        /// <param name="probe">The image's first bytes (up to <see cref="ProbeBytes"/>; all of it when in memory), for the alpha check.</param>
        private static ReferenceFacts FactsOf(ImageHeader header, long length, byte[] probe, string what) =>
            new ReferenceFacts(what, header.MimeSubtype, length, header.Width, header.Height, AlphaOf(header, probe));

        /// <summary>How much of a file or data URI is read for the alpha check: PNG's chunks before the image data fit in it.</summary>
        private const int ProbeBytes = 64 * 1024;

        /// <summary>Reads up to <paramref name="count"/> bytes from the stream's start.</summary>
        private static byte[] ReadStart(Stream stream, long count)
        {
            stream.Position = 0;
            var start = new byte[count];
            int filled = 0, read;
            while (filled < start.Length && (read = stream.Read(start, filled, start.Length - filled)) > 0)
            {
                filled += read;
            }

            if (filled < start.Length)
            {
                Array.Resize(ref start, filled);
            }

            stream.Position = 0;
            return start;
        }

        /// <summary>Whether the image has an alpha channel, where its header tells: PNG from its chunks, JPEG never; null for the other formats.</summary>
        private static bool? AlphaOf(ImageHeader header, byte[] bytes) => header.Format switch
        {
            ImageFormat.Png => ImageHeaderReader.PngHasAlpha(bytes),
            ImageFormat.Jpeg => false,
            _ => null,
        };

        /// <summary>The record of bytes sent, with their SHA-256 (taken once, as they are checked).</summary>
        private static SeedreamReference Recorded(SeedreamReferenceKind kind, string? name, string sha256, ImageHeader header) =>
            new SeedreamReference { Kind = kind, Name = name, Sha256 = sha256, Format = header.MimeSubtype };

        /// <summary>
        /// Checks a local image: its format by magic bytes, its size, and its dimensions from the header, and hashes
        /// it, reading it in chunks. It is sent as a data URI read again (in chunks) as the body is written, and must not
        /// change meanwhile. Each failure names the file (by its name, not its machine path) and the rule.
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

            string what = $"the image file '{name}'";
            long length = file.Length;
            DateTime lastWrite = file.LastWriteTimeUtc;
            ImageHeader header;
            string sha256;
            byte[] head;
            byte[] probe;
            using (var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024))
            {
                header = CheckImage(stream, length, what);
                probe = ReadStart(stream, Math.Min(length, ProbeBytes));
                head = probe.Length <= HeadBytes ? probe : probe.Take(HeadBytes).ToArray();
                sha256 = Sha256Hash.Hex(stream);
                if (stream.Length != length)
                {
                    throw new InvalidDataException($"{what} changed while it was being read; try again once it is written.");
                }
            }

            return new ReferenceImage(RequestImage.FromFile(file.FullName, name, header.MimeSubtype, length, lastWrite, head), name,
                Recorded(SeedreamReferenceKind.File, name, sha256, header), FactsOf(header, length, probe, what));
        }

        /// <summary>The per-image rules of the API for an image about to be sent: size, a known format by magic bytes, dimensions.</summary>
        private static ImageHeader CheckImage(Stream image, long length, string what)
        {
            if (length > ModelCatalog.MaxReferenceImageBytes)
            {
                throw new InvalidDataException(TooLarge(what, length));
            }

            if (!ImageHeaderReader.TryRead(image, out ImageHeader header, out string? error))
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

        /// <summary>
        /// The bytes of valid base64 text inside a string, decoded a few kilobytes at a time as they are read (seekable
        /// back to the start, so the header reader and the hash can each read them once).
        /// </summary>
        private sealed class Base64TextStream : Stream
        {
            private const int BlockChars = 16 * 1024;
            private readonly string _text;
            private readonly int _start;
            private readonly char[] _chars = new char[BlockChars];
            private byte[] _block = Array.Empty<byte>();
            private int _blockOffset;
            private int _next;
            private long _position;

            public Base64TextStream(string text, int start)
            {
                _text = text;
                _start = start;
                _next = start;
                Length = DecodedLength(text, start);
            }

            /// <summary>The decoded length of checked base64 from <paramref name="start"/> to the end of <paramref name="text"/>.</summary>
            public static long DecodedLength(string text, int start)
            {
                int chars = text.Length - start;
                int padding = chars == 0 ? 0 : text[text.Length - 1] == '=' ? (text[text.Length - 2] == '=' ? 2 : 1) : 0;
                return (long)chars / 4 * 3 - padding;
            }

            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => false;
            public override long Length { get; }

            public override long Position
            {
                get => _position;
                set
                {
                    if (value != 0)
                    {
                        throw new NotSupportedException("Only a seek back to the start is supported.");
                    }

                    _position = 0;
                    _next = _start;
                    _block = Array.Empty<byte>();
                    _blockOffset = 0;
                }
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_blockOffset == _block.Length)
                {
                    if (_next >= _text.Length)
                    {
                        return 0;
                    }

                    int take = Math.Min(BlockChars, _text.Length - _next); // a multiple of 4 (the text was checked)
                    _text.CopyTo(_next, _chars, 0, take);
                    _next += take;
                    _block = Convert.FromBase64CharArray(_chars, 0, take);
                    _blockOffset = 0;
                }

                int n = Math.Min(count, _block.Length - _blockOffset);
                Buffer.BlockCopy(_block, _blockOffset, buffer, offset, n);
                _blockOffset += n;
                _position += n;
                return n;
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                long target = origin switch
                {
                    SeekOrigin.Begin => offset,
                    SeekOrigin.Current => _position + offset,
                    _ => Length + offset,
                };
                if (target == 0)
                {
                    Position = 0;
                    return 0;
                }

                if (target < _position)
                {
                    throw new NotSupportedException("Only a seek back to the start is supported.");
                }

                // Forward: read past.
                var skip = new byte[4096];
                while (_position < target && Read(skip, 0, (int)Math.Min(skip.Length, target - _position)) > 0)
                {
                }

                return _position;
            }

            public override void Flush()
            {
            }

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
