using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Seedream.Imaging
{
    /// <summary>
    /// Reads the format and pixel dimensions of PNG, JPEG, WebP, BMP, TIFF and GIF images from their
    /// headers, reading no more of the input than needed. Malformed input yields <c>false</c> and an
    /// error message, never an exception or an endless loop.
    /// </summary>
    public static class ImageHeaderReader
    {
        internal const string UnsupportedFormatError =
            "not a supported image format (png, jpeg, webp, bmp, tiff, gif)";

        internal const string EmptyInputError = "no image data (input is empty)";

        /// <summary>Bytes needed to recognise every supported format by its magic bytes.</summary>
        internal const int DetectLength = 12;

        private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>Recognises an image format by its leading magic bytes; null when not recognised.</summary>
        public static ImageFormat? DetectFormat(ReadOnlySpan<byte> head)
        {
            if (head.Length >= 8 && head.Slice(0, 8).SequenceEqual(PngSignature))
            {
                return ImageFormat.Png;
            }

            if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
            {
                return ImageFormat.Jpeg;
            }

            if (head.Length >= 12
                && head[0] == (byte)'R' && head[1] == (byte)'I' && head[2] == (byte)'F' && head[3] == (byte)'F'
                && head[8] == (byte)'W' && head[9] == (byte)'E' && head[10] == (byte)'B' && head[11] == (byte)'P')
            {
                return ImageFormat.Webp;
            }

            if (head.Length >= 6
                && head[0] == (byte)'G' && head[1] == (byte)'I' && head[2] == (byte)'F' && head[3] == (byte)'8'
                && (head[4] == (byte)'7' || head[4] == (byte)'9') && head[5] == (byte)'a')
            {
                return ImageFormat.Gif;
            }

            if (head.Length >= 4
                && ((head[0] == (byte)'I' && head[1] == (byte)'I' && head[2] == 0x2A && head[3] == 0x00)
                    || (head[0] == (byte)'M' && head[1] == (byte)'M' && head[2] == 0x00 && head[3] == 0x2A)))
            {
                return ImageFormat.Tiff;
            }

            if (head.Length >= 2 && head[0] == (byte)'B' && head[1] == (byte)'M')
            {
                return ImageFormat.Bmp;
            }

            return null;
        }

        /// <summary>Reads the header of an in-memory image.</summary>
        public static bool TryRead(ReadOnlySpan<byte> data, out ImageHeader header, out string? error)
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            return TryRead(stream, out header, out error);
        }

        /// <summary>
        /// Reads the header of an image held in an array, without copying it (a decoded result can be many
        /// megabytes; the span overload must copy, since netstandard2.0 cannot wrap a span in a stream).
        /// </summary>
        public static bool TryRead(byte[] data, out ImageHeader header, out string? error)
        {
            using var stream = new MemoryStream(data ?? throw new ArgumentNullException(nameof(data)), writable: false);
            return TryRead(stream, out header, out error);
        }

        /// <summary>
        /// Reads the header of the image starting at the stream's current position. Only the bytes needed
        /// are read; segments that must be passed over are skipped by seeking when the stream can seek.
        /// </summary>
        public static bool TryRead(Stream stream, out ImageHeader header, out string? error)
        {
            if (stream is null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            header = default;
            if (!stream.CanRead)
            {
                error = "stream is not readable";
                return false;
            }

            try
            {
                var reader = new Reader(stream);
                int headLength = reader.Prime(DetectLength);
                if (headLength == 0)
                {
                    error = EmptyInputError;
                    return false;
                }

                ImageFormat? format = DetectFormat(reader.Primed);
                if (format is null)
                {
                    error = UnsupportedFormatError;
                    return false;
                }

                int width, height;
                switch (format.Value)
                {
                    case ImageFormat.Png:
                        error = ReadPng(reader, out width, out height);
                        break;
                    case ImageFormat.Jpeg:
                        error = ReadJpeg(reader, out width, out height);
                        break;
                    case ImageFormat.Webp:
                        error = ReadWebp(reader, out width, out height);
                        break;
                    case ImageFormat.Bmp:
                        error = ReadBmp(reader, out width, out height);
                        break;
                    case ImageFormat.Tiff:
                        error = ReadTiff(reader, out width, out height);
                        break;
                    case ImageFormat.Gif:
                        error = ReadGif(reader, out width, out height);
                        break;
                    default:
                        error = UnsupportedFormatError;
                        return false;
                }

                if (error is null && (width <= 0 || height <= 0))
                {
                    error = $"invalid {DisplayName(format.Value)} dimensions {width}x{height}";
                }

                if (error is not null)
                {
                    return false;
                }

                header = new ImageHeader(format.Value, width, height);
                return true;
            }
            catch (IOException ex)
            {
                error = "error reading image: " + ex.Message;
                return false;
            }
        }

        private static string DisplayName(ImageFormat format) => format switch
        {
            ImageFormat.Png => "PNG",
            ImageFormat.Jpeg => "JPEG",
            ImageFormat.Webp => "WebP",
            ImageFormat.Bmp => "BMP",
            ImageFormat.Tiff => "TIFF",
            ImageFormat.Gif => "GIF",
            _ => format.ToString(),
        };

        // ---------------------------------------------------------------- PNG

        /// <summary>
        /// Whether a PNG has an alpha channel, from its header chunks: colour type 4 or 6 (grey or truecolour with alpha), or
        /// a tRNS chunk before the image data. Null when the bytes are not a PNG or end before that is known.
        /// </summary>
        public static bool? PngHasAlpha(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length < 33 || !bytes.Slice(0, 8).SequenceEqual(PngSignature))
            {
                return null;
            }

            byte colourType = bytes[25];
            if (colourType == 4 || colourType == 6)
            {
                return true;
            }

            int offset = 8;
            while (offset + 8 <= bytes.Length)
            {
                uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(offset));
                ReadOnlySpan<byte> type = bytes.Slice(offset + 4, 4);
                if (type.SequenceEqual(new[] { (byte)'t', (byte)'R', (byte)'N', (byte)'S' }))
                {
                    return true;
                }

                if (type.SequenceEqual(new[] { (byte)'I', (byte)'D', (byte)'A', (byte)'T' }) || type.SequenceEqual(new[] { (byte)'I', (byte)'E', (byte)'N', (byte)'D' }))
                {
                    return false;
                }

                if (length > int.MaxValue - 12 - offset)
                {
                    return null;
                }

                offset += 12 + (int)length;
            }

            return null;
        }

        private static string? ReadPng(Reader reader, out int width, out int height)
        {
            width = height = 0;
            // signature(8) + IHDR length(4) + type(4) + width(4) + height(4)
            var buf = new byte[24];
            if (!reader.ReadExact(buf, 24))
            {
                return "truncated PNG header";
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(8));
            if (buf[12] != (byte)'I' || buf[13] != (byte)'H' || buf[14] != (byte)'D' || buf[15] != (byte)'R')
            {
                return "invalid PNG: first chunk is not IHDR";
            }

            if (length != 13)
            {
                return "invalid PNG IHDR chunk length";
            }

            uint w = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(16));
            uint h = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(20));
            if (w > int.MaxValue || h > int.MaxValue)
            {
                return "invalid PNG dimensions";
            }

            width = (int)w;
            height = (int)h;
            return null;
        }

        // ---------------------------------------------------------------- JPEG

        private static bool IsStartOfFrame(int marker) =>
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

        private static string? ReadJpeg(Reader reader, out int width, out int height)
        {
            const string Truncated = "truncated JPEG header";
            width = height = 0;
            if (!reader.Skip(2))
            {
                return Truncated;
            }

            var buf = new byte[5];
            while (true)
            {
                int b = reader.ReadByte();
                if (b < 0)
                {
                    return Truncated;
                }

                if (b != 0xFF)
                {
                    return "invalid JPEG: expected a marker";
                }

                int marker;
                do
                {
                    // Any number of 0xFF fill bytes may precede a marker.
                    marker = reader.ReadByte();
                    if (marker < 0)
                    {
                        return Truncated;
                    }
                }
                while (marker == 0xFF);

                if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01)
                {
                    continue; // standalone markers: RSTn, TEM
                }

                switch (marker)
                {
                    case 0x00:
                    case 0xD8:
                        return "invalid JPEG marker";
                    case 0xD9:
                        return "invalid JPEG: end of image before frame header";
                    case 0xDA:
                        return "invalid JPEG: scan data before frame header";
                }

                if (!reader.ReadExact(buf, 2))
                {
                    return Truncated;
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(buf);
                if (length < 2)
                {
                    return "invalid JPEG segment length";
                }

                if (IsStartOfFrame(marker))
                {
                    if (length < 7)
                    {
                        return "invalid JPEG frame header length";
                    }

                    if (!reader.ReadExact(buf, 5))
                    {
                        return Truncated;
                    }

                    height = BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(1));
                    width = BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(3));
                    if (height == 0)
                    {
                        return "unsupported JPEG: height defined by DNL marker";
                    }

                    return null;
                }

                if (!reader.Skip(length - 2))
                {
                    return Truncated;
                }
            }
        }

        // ---------------------------------------------------------------- WebP

        private static string? ReadWebp(Reader reader, out int width, out int height)
        {
            const string Truncated = "truncated WebP header";
            width = height = 0;
            // RIFF(4) size(4) WEBP(4) chunk fourcc(4) chunk size(4)
            var buf = new byte[20];
            if (!reader.ReadExact(buf, 20))
            {
                return Truncated;
            }

            string fourcc = FourCC(buf.AsSpan(12, 4));
            uint chunkSize = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(16));
            var data = new byte[10];
            switch (fourcc)
            {
                case "VP8 ":
                {
                    if (chunkSize < 10)
                    {
                        return "invalid WebP VP8 chunk";
                    }

                    if (!reader.ReadExact(data, 10))
                    {
                        return Truncated;
                    }

                    if ((data[0] & 1) != 0)
                    {
                        return "invalid WebP VP8 chunk: not a key frame";
                    }

                    if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
                    {
                        return "invalid WebP VP8 start code";
                    }

                    width = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(6)) & 0x3FFF;
                    height = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8)) & 0x3FFF;
                    return null;
                }

                case "VP8L":
                {
                    if (chunkSize < 5)
                    {
                        return "invalid WebP VP8L chunk";
                    }

                    if (!reader.ReadExact(data, 5))
                    {
                        return Truncated;
                    }

                    if (data[0] != 0x2F)
                    {
                        return "invalid WebP VP8L signature";
                    }

                    uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(1));
                    if ((bits >> 29) != 0)
                    {
                        return "unsupported WebP VP8L version";
                    }

                    width = (int)(bits & 0x3FFF) + 1;
                    height = (int)((bits >> 14) & 0x3FFF) + 1;
                    return null;
                }

                case "VP8X":
                {
                    if (chunkSize < 10)
                    {
                        return "invalid WebP VP8X chunk";
                    }

                    if (!reader.ReadExact(data, 10))
                    {
                        return Truncated;
                    }

                    width = ReadUInt24LittleEndian(data, 4) + 1;
                    height = ReadUInt24LittleEndian(data, 7) + 1;
                    return null;
                }

                default:
                    return $"unsupported WebP chunk '{fourcc}'";
            }
        }

        private static int ReadUInt24LittleEndian(byte[] data, int offset) =>
            data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16);

        private static string FourCC(ReadOnlySpan<byte> bytes)
        {
            var sb = new StringBuilder(4);
            foreach (byte b in bytes)
            {
                sb.Append(b >= 0x20 && b < 0x7F ? (char)b : '?');
            }

            return sb.ToString();
        }

        // ---------------------------------------------------------------- BMP

        private static string? ReadBmp(Reader reader, out int width, out int height)
        {
            const string Truncated = "truncated BMP header";
            width = height = 0;
            // BITMAPFILEHEADER(14) + DIB header size(4)
            var buf = new byte[18];
            if (!reader.ReadExact(buf, 18))
            {
                return Truncated;
            }

            uint dibSize = BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(14));
            if (dibSize == 12)
            {
                // BITMAPCOREHEADER: 16-bit unsigned width and height.
                if (!reader.ReadExact(buf, 4))
                {
                    return Truncated;
                }

                width = BinaryPrimitives.ReadUInt16LittleEndian(buf);
                height = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(2));
                return null;
            }

            if (dibSize < 16)
            {
                return "unsupported BMP header size " + dibSize;
            }

            // BITMAPINFOHEADER and later (and OS/2 2.x): 32-bit signed width and height.
            if (!reader.ReadExact(buf, 8))
            {
                return Truncated;
            }

            int w = BinaryPrimitives.ReadInt32LittleEndian(buf);
            int h = BinaryPrimitives.ReadInt32LittleEndian(buf.AsSpan(4));
            if (h == int.MinValue)
            {
                return "invalid BMP dimensions";
            }

            width = w;
            height = Math.Abs(h); // negative height = top-down bitmap
            return null;
        }

        // ---------------------------------------------------------------- TIFF

        private static string? ReadTiff(Reader reader, out int width, out int height)
        {
            const string Truncated = "truncated TIFF header";
            width = height = 0;
            var buf = new byte[12];
            if (!reader.ReadExact(buf, 8))
            {
                return Truncated;
            }

            bool little = buf[0] == (byte)'I';
            uint ifdOffset = ReadUInt32(buf, 4, little);
            if (ifdOffset < 8)
            {
                return "invalid TIFF IFD offset";
            }

            if (!reader.Skip(ifdOffset - 8))
            {
                return Truncated;
            }

            if (!reader.ReadExact(buf, 2))
            {
                return Truncated;
            }

            int count = ReadUInt16(buf, 0, little);
            if (count == 0)
            {
                return "invalid TIFF: empty IFD";
            }

            long w = -1, h = -1;
            for (int i = 0; i < count && (w < 0 || h < 0); i++)
            {
                if (!reader.ReadExact(buf, 12))
                {
                    return Truncated;
                }

                int tag = ReadUInt16(buf, 0, little);
                if (tag != 256 && tag != 257)
                {
                    continue;
                }

                int type = ReadUInt16(buf, 2, little);
                uint valueCount = ReadUInt32(buf, 4, little);
                if (valueCount < 1)
                {
                    return "invalid TIFF dimension tag";
                }

                long value;
                switch (type)
                {
                    case 3: // SHORT
                        value = ReadUInt16(buf, 8, little);
                        break;
                    case 4: // LONG
                        value = ReadUInt32(buf, 8, little);
                        break;
                    default:
                        return "invalid TIFF dimension tag type " + type;
                }

                if (tag == 256)
                {
                    w = value;
                }
                else
                {
                    h = value;
                }
            }

            if (w < 0 || h < 0)
            {
                return "invalid TIFF: ImageWidth or ImageLength tag missing";
            }

            if (w > int.MaxValue || h > int.MaxValue)
            {
                return "invalid TIFF dimensions";
            }

            width = (int)w;
            height = (int)h;
            return null;
        }

        private static int ReadUInt16(byte[] buf, int offset, bool little) => little
            ? BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(offset))
            : BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(offset));

        private static uint ReadUInt32(byte[] buf, int offset, bool little) => little
            ? BinaryPrimitives.ReadUInt32LittleEndian(buf.AsSpan(offset))
            : BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(offset));

        // ---------------------------------------------------------------- GIF

        private static string? ReadGif(Reader reader, out int width, out int height)
        {
            width = height = 0;
            var buf = new byte[10];
            if (!reader.ReadExact(buf, 10))
            {
                return "truncated GIF header";
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(6));
            height = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(8));
            return null;
        }

        // ---------------------------------------------------------------- stream access

        /// <summary>
        /// Forward-only reader over a stream with a small primed prefix (used for format detection),
        /// reading exactly the bytes asked for and skipping by seeking when possible.
        /// </summary>
        private sealed class Reader
        {
            private readonly Stream _stream;
            private readonly byte[] _one = new byte[1];
            private byte[] _prefix = Array.Empty<byte>();
            private int _prefixPos;
            private int _prefixLen;
            private byte[]? _scratch;

            public Reader(Stream stream) => _stream = stream;

            public ReadOnlySpan<byte> Primed => _prefix.AsSpan(_prefixPos, _prefixLen - _prefixPos);

            /// <summary>Reads up to <paramref name="count"/> bytes ahead without consuming them.</summary>
            public int Prime(int count)
            {
                var prefix = new byte[count];
                int n = ReadFromStream(prefix, 0, count);
                _prefix = prefix;
                _prefixPos = 0;
                _prefixLen = n;
                return n;
            }

            public bool ReadExact(byte[] buffer, int count) => ReadAtMost(buffer, 0, count) == count;

            public int ReadByte() => ReadAtMost(_one, 0, 1) == 1 ? _one[0] : -1;

            /// <summary>Skips <paramref name="count"/> bytes; false when the input ends first.</summary>
            public bool Skip(long count)
            {
                if (count < 0)
                {
                    return false;
                }

                int fromPrefix = (int)Math.Min(count, _prefixLen - _prefixPos);
                _prefixPos += fromPrefix;
                count -= fromPrefix;
                if (count == 0)
                {
                    return true;
                }

                if (_stream.CanSeek)
                {
                    long remaining = _stream.Length - _stream.Position;
                    if (count > remaining)
                    {
                        _stream.Seek(0, SeekOrigin.End);
                        return false;
                    }

                    _stream.Seek(count, SeekOrigin.Current);
                    return true;
                }

                _scratch ??= new byte[4096];
                while (count > 0)
                {
                    int chunk = (int)Math.Min(count, _scratch.Length);
                    int n = _stream.Read(_scratch, 0, chunk);
                    if (n <= 0)
                    {
                        return false;
                    }

                    count -= n;
                }

                return true;
            }

            private int ReadAtMost(byte[] buffer, int offset, int count)
            {
                int total = 0;
                int available = _prefixLen - _prefixPos;
                if (available > 0)
                {
                    int n = Math.Min(available, count);
                    Buffer.BlockCopy(_prefix, _prefixPos, buffer, offset, n);
                    _prefixPos += n;
                    total = n;
                }

                if (total < count)
                {
                    total += ReadFromStream(buffer, offset + total, count - total);
                }

                return total;
            }

            private int ReadFromStream(byte[] buffer, int offset, int count)
            {
                int total = 0;
                while (total < count)
                {
                    int n = _stream.Read(buffer, offset + total, count - total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                return total;
            }
        }
    }
}
