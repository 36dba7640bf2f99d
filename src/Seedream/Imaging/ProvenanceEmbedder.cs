using System;
using System.IO;
using System.Text;
using System.Threading;

namespace Seedream.Imaging
{
    /// <summary>
    /// Copies a PNG or JPEG from one stream to another with a provenance XMP packet inserted, and nothing else changed:
    /// every byte of the source (EXIF, C2PA/JUMBF, ICC profiles, text chunks, other XMP, the image data) is copied as
    /// it is, in order, through one small buffer.
    /// PNG: an iTXt chunk with the keyword "XML:com.adobe.xmp" (uncompressed, no language) just before the first IDAT.
    /// JPEG: an APP1 segment "http://ns.adobe.com/xap/1.0/\0" + packet after the leading APP0 (JFIF) and APP1 (Exif, XMP)
    /// segments, where the XMP specification places it.
    /// </summary>
    public static class ProvenanceEmbedder
    {
        public const string PngXmpKeyword = "XML:com.adobe.xmp";
        public const string JpegXmpHeader = "http://ns.adobe.com/xap/1.0/\0";
        private const int MaxJpegSegmentPayload = 65533;
        private const int CopyBufferSize = 81920;

        internal static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>Copies <paramref name="source"/> (from its position) to <paramref name="destination"/> with the record embedded.</summary>
        /// <exception cref="InvalidDataException">the source is not a PNG or JPEG this can read, or ends early; or the record is
        /// too large for a JPEG segment (65,533 bytes).</exception>
        public static void Embed(Stream source, Stream destination, ProvenanceRecord record, CancellationToken cancellationToken = default)
        {
            byte[] packet = ProvenanceXmp.Write(record);
            var buffer = new byte[CopyBufferSize];
            byte[] head = ReadExactly(source, buffer, 2, "the image");
            if (head[0] == PngSignature[0] && head[1] == PngSignature[1])
            {
                EmbedPng(source, destination, packet, buffer, cancellationToken);
            }
            else if (head[0] == 0xFF && head[1] == 0xD8)
            {
                EmbedJpeg(source, destination, packet, buffer, cancellationToken);
            }
            else
            {
                throw new InvalidDataException("provenance can be embedded in PNG and JPEG images only.");
            }
        }

        private static void EmbedPng(Stream source, Stream destination, byte[] packet, byte[] buffer, CancellationToken cancellationToken)
        {
            byte[] rest = ReadExactly(source, buffer, 6, "the PNG signature");
            for (int i = 0; i < 6; i++)
            {
                if (rest[i] != PngSignature[i + 2])
                {
                    throw new InvalidDataException("the file has no valid PNG signature.");
                }
            }

            destination.Write(PngSignature, 0, PngSignature.Length);
            bool first = true;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] header = ReadExactly(source, new byte[8], 8, "a PNG chunk header");
                long length = ReadUInt32(header, 0);
                string type = Encoding.ASCII.GetString(header, 4, 4);
                if (length > int.MaxValue)
                {
                    throw new InvalidDataException($"the PNG chunk '{type}' says it is {length:N0} bytes long, more than PNG allows.");
                }

                if (first && type != "IHDR")
                {
                    throw new InvalidDataException("the PNG does not start with its IHDR chunk.");
                }

                first = false;
                if (type == "IDAT")
                {
                    WritePngChunk(destination, "iTXt", ITxtData(packet));
                    destination.Write(header, 0, header.Length);
                    CopyToEnd(source, destination, buffer, cancellationToken);
                    return;
                }

                if (type == "IEND")
                {
                    throw new InvalidDataException("the PNG has no image data (IDAT).");
                }

                destination.Write(header, 0, header.Length);
                Copy(source, destination, buffer, length + 4, $"the PNG chunk '{type}'", cancellationToken);
            }
        }

        private static void EmbedJpeg(Stream source, Stream destination, byte[] packet, byte[] buffer, CancellationToken cancellationToken)
        {
            byte[] header = Encoding.ASCII.GetBytes(JpegXmpHeader);
            int payload = header.Length + packet.Length;
            if (payload > MaxJpegSegmentPayload)
            {
                throw new InvalidDataException(
                    $"the provenance record is {packet.Length:N0} bytes; a JPEG XMP segment holds at most {MaxJpegSegmentPayload - header.Length:N0}.");
            }

            destination.WriteByte(0xFF);
            destination.WriteByte(0xD8);
            var marker = new byte[4];
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadExactly(source, marker, 2, "a JPEG marker");
                if (marker[0] != 0xFF)
                {
                    throw new InvalidDataException("the JPEG has no marker where one must be.");
                }

                bool leadingAppSegment = marker[1] == 0xE0 || marker[1] == 0xE1;
                if (!leadingAppSegment)
                {
                    // The first segment that is not APP0/APP1 (quantisation tables, frame header, APP2 ICC, APP11 JUMBF...):
                    // the record goes just before it, and everything from here on is copied as it is.
                    destination.WriteByte(0xFF);
                    destination.WriteByte(0xE1);
                    destination.WriteByte((byte)((payload + 2) >> 8));
                    destination.WriteByte((byte)(payload + 2));
                    destination.Write(header, 0, header.Length);
                    destination.Write(packet, 0, packet.Length);
                    destination.Write(marker, 0, 2);
                    CopyToEnd(source, destination, buffer, cancellationToken);
                    return;
                }

                ReadExactly(source, marker, 2, "a JPEG segment length", offset: 2);
                int length = (marker[2] << 8) | marker[3];
                if (length < 2)
                {
                    throw new InvalidDataException("a JPEG segment has a length under 2.");
                }

                destination.Write(marker, 0, 4);
                Copy(source, destination, buffer, length - 2, "a JPEG APP segment", cancellationToken);
            }
        }

        /// <summary>iTXt: keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL, UTF-8 text.</summary>
        private static byte[] ITxtData(byte[] text)
        {
            byte[] keyword = Encoding.ASCII.GetBytes(PngXmpKeyword);
            var data = new byte[keyword.Length + 5 + text.Length];
            keyword.CopyTo(data, 0);
            // data[keyword.Length] = 0 (separator); then flag 0, method 0, language "" + NUL, translated "" + NUL: all zero.
            text.CopyTo(data, keyword.Length + 5);
            return data;
        }

        private static void WritePngChunk(Stream destination, string type, byte[] data)
        {
            var word = new byte[4];
            WriteUInt32(word, (uint)data.Length);
            destination.Write(word, 0, 4);
            byte[] typeBytes = Encoding.ASCII.GetBytes(type);
            destination.Write(typeBytes, 0, 4);
            destination.Write(data, 0, data.Length);
            WriteUInt32(word, Crc32.Compute(typeBytes, data));
            destination.Write(word, 0, 4);
        }

        internal static long ReadUInt32(byte[] bytes, int offset) =>
            ((long)bytes[offset] << 24) | ((long)bytes[offset + 1] << 16) | ((long)bytes[offset + 2] << 8) | bytes[offset + 3];

        private static void WriteUInt32(byte[] bytes, uint value)
        {
            bytes[0] = (byte)(value >> 24);
            bytes[1] = (byte)(value >> 16);
            bytes[2] = (byte)(value >> 8);
            bytes[3] = (byte)value;
        }

        internal static byte[] ReadExactly(Stream source, byte[] buffer, int count, string what, int offset = 0)
        {
            int done = 0;
            while (done < count)
            {
                int read = source.Read(buffer, offset + done, count - done);
                if (read == 0)
                {
                    throw new InvalidDataException($"the image ends inside {what}.");
                }

                done += read;
            }

            return buffer;
        }

        private static void Copy(Stream source, Stream destination, byte[] buffer, long count, string what, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (read == 0)
                {
                    throw new InvalidDataException($"the image ends inside {what}.");
                }

                destination.Write(buffer, 0, read);
                count -= read;
            }
        }

        private static void CopyToEnd(Stream source, Stream destination, byte[] buffer, CancellationToken cancellationToken)
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                destination.Write(buffer, 0, read);
            }
        }
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), over the chunk type and data.</summary>
    internal static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(byte[] type, byte[] data) => Update(Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;

        private static uint Update(uint crc, byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
