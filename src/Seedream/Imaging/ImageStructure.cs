using System;
using System.IO;

namespace Seedream.Imaging
{
    /// <summary>
    /// Whether an image's bytes reach its own end: a PNG ends with its IEND chunk, a JPEG with its EOI marker, a GIF with
    /// its trailer, a WebP or BMP is as long as its header says. A download that a closed connection cut short (with no
    /// Content-Length to compare against) fails this check; TIFF and unknown formats pass (they state no end).
    /// </summary>
    public static class ImageStructure
    {
        /// <summary>How many bytes of the start and of the end the check needs.</summary>
        public const int EdgeLength = 32;

        private static readonly byte[] PngEnd = { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 };

        /// <summary>
        /// Null when the image is whole as far as its format tells, else a sentence saying what is missing.
        /// </summary>
        /// <param name="head">The first bytes (at least <see cref="EdgeLength"/> when the image has that many).</param>
        /// <param name="tail">The last bytes (the same).</param>
        /// <param name="length">The whole length.</param>
        public static string? CheckComplete(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length)
        {
            switch (ImageHeaderReader.DetectFormat(head))
            {
                case ImageFormat.Png:
                    return tail.EndsWith(PngEnd) ? null : "the PNG does not end with its IEND chunk";
                case ImageFormat.Jpeg:
                    // FF D9 cannot occur in entropy-coded data (an FF there is always followed by 00 or a restart marker).
                    return tail.Slice(Math.Max(0, tail.Length - EdgeLength)).IndexOf(new byte[] { 0xFF, 0xD9 }) >= 0
                        ? null : "the JPEG does not end with its end-of-image marker (FF D9)";
                case ImageFormat.Gif:
                    return tail.Length > 0 && tail[tail.Length - 1] == 0x3B ? null : "the GIF does not end with its trailer (3B)";
                case ImageFormat.Webp when head.Length >= 8:
                    long riff = 8L + LittleEndian32(head, 4);
                    return length >= riff ? null : $"the WebP is {length:N0} bytes where its header says {riff:N0}";
                case ImageFormat.Bmp when head.Length >= 6:
                    long declared = LittleEndian32(head, 2);
                    return declared == 0 || length >= declared ? null : $"the BMP is {length:N0} bytes where its header says {declared:N0}";
                default:
                    return null;
            }
        }

        /// <summary>
        /// Checks the file at <paramref name="path"/> as <see cref="CheckComplete"/> does; raises
        /// <see cref="InvalidDataException"/> naming <paramref name="what"/> when it is cut short.
        /// </summary>
        public static void EnsureComplete(string path, string what)
        {
            byte[] head = new byte[EdgeLength];
            byte[] tail = new byte[EdgeLength];
            long length;
            int headRead, tailRead;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                length = file.Length;
                headRead = ReadFully(file, head);
                file.Position = Math.Max(0, length - EdgeLength);
                tailRead = ReadFully(file, tail);
            }

            string? problem = CheckComplete(new ReadOnlySpan<byte>(head, 0, headRead), new ReadOnlySpan<byte>(tail, 0, tailRead), length);
            if (problem != null)
            {
                throw new InvalidDataException($"{what} is cut short ({problem}); nothing was saved.");
            }
        }

        private static uint LittleEndian32(ReadOnlySpan<byte> bytes, int offset) =>
            (uint)bytes[offset] | ((uint)bytes[offset + 1] << 8) | ((uint)bytes[offset + 2] << 16) | ((uint)bytes[offset + 3] << 24);

        private static int ReadFully(Stream stream, byte[] buffer)
        {
            int total = 0, read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    /// <summary>Keeps the first and the last <see cref="ImageStructure.EdgeLength"/> bytes of data that passes through.</summary>
    internal sealed class ImageEdges
    {
        private readonly byte[] _head = new byte[ImageStructure.EdgeLength];
        private readonly byte[] _tail = new byte[ImageStructure.EdgeLength];
        private int _headLength;
        private int _tailLength;
        private long _length;

        public void Add(byte[] buffer, int offset, int count)
        {
            _length += count;
            int toHead = Math.Min(count, _head.Length - _headLength);
            Buffer.BlockCopy(buffer, offset, _head, _headLength, toHead);
            _headLength += toHead;

            if (count >= _tail.Length)
            {
                Buffer.BlockCopy(buffer, offset + count - _tail.Length, _tail, 0, _tail.Length);
                _tailLength = _tail.Length;
                return;
            }

            int keep = Math.Min(_tailLength, _tail.Length - count);
            Buffer.BlockCopy(_tail, _tailLength - keep, _tail, 0, keep);
            Buffer.BlockCopy(buffer, offset, _tail, keep, count);
            _tailLength = keep + count;
        }

        public string? CheckComplete() =>
            ImageStructure.CheckComplete(new ReadOnlySpan<byte>(_head, 0, _headLength), new ReadOnlySpan<byte>(_tail, 0, _tailLength), _length);
    }
}
