using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Seedream.Imaging
{
    /// <summary>
    /// Finds the record <see cref="ProvenanceEmbedder"/> wrote: every XMP packet of a PNG (iTXt "XML:com.adobe.xmp",
    /// compressed or not) or JPEG (APP1 XMP segments before the scan) is tried in file order, and the first one holding
    /// the module's namespace wins, so another tool's XMP beside it is no obstacle. Other chunks and segments are skipped
    /// (by seeking when the stream can), never read whole.
    /// </summary>
    public static class ProvenanceReader
    {
        /// <summary>The largest XMP packet read; bigger ones are skipped.</summary>
        public const int MaxPacketBytes = 4 * 1024 * 1024;

        /// <summary>The record embedded in the image at the stream's position; null when there is none.</summary>
        /// <exception cref="InvalidDataException">the image is cut short or malformed before a record was found.</exception>
        public static ProvenanceRecord? Read(Stream stream)
        {
            var head = new byte[8];
            int got = stream.Read(head, 0, 2);
            if (got < 2)
            {
                return null;
            }

            if (head[0] == ProvenanceEmbedder.PngSignature[0] && head[1] == ProvenanceEmbedder.PngSignature[1])
            {
                ProvenanceEmbedder.ReadExactly(stream, head, 6, "the PNG signature", offset: 2);
                return ReadPng(stream);
            }

            return head[0] == 0xFF && head[1] == 0xD8 ? ReadJpeg(stream) : null;
        }

        /// <summary>The record embedded in a file; null when there is none.</summary>
        public static ProvenanceRecord? Read(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            return Read(file);
        }

        private static ProvenanceRecord? ReadPng(Stream stream)
        {
            var header = new byte[8];
            while (true)
            {
                if (!TryReadExactly(stream, header, 8))
                {
                    return null;
                }

                long length = ProvenanceEmbedder.ReadUInt32(header, 0);
                string type = Encoding.ASCII.GetString(header, 4, 4);
                if (type == "IEND")
                {
                    return null;
                }

                if (type == "iTXt" && length <= MaxPacketBytes)
                {
                    byte[] data = ProvenanceEmbedder.ReadExactly(stream, new byte[length], (int)length, "a PNG iTXt chunk");
                    Skip(stream, 4);
                    if (FromITxt(data) is ProvenanceRecord record)
                    {
                        return record;
                    }

                    continue;
                }

                Skip(stream, length + 4);
            }
        }

        private static ProvenanceRecord? FromITxt(byte[] data)
        {
            byte[] keyword = Encoding.ASCII.GetBytes(ProvenanceEmbedder.PngXmpKeyword);
            if (data.Length < keyword.Length + 5 || data[keyword.Length] != 0)
            {
                return null;
            }

            for (int i = 0; i < keyword.Length; i++)
            {
                if (data[i] != keyword[i])
                {
                    return null;
                }
            }

            bool compressed = data[keyword.Length + 1] == 1;
            int position = keyword.Length + 3;
            position = Array.IndexOf(data, (byte)0, position) + 1; // past the language tag
            position = position == 0 ? -1 : Array.IndexOf(data, (byte)0, position) + 1; // past the translated keyword
            if (position <= 0)
            {
                return null;
            }

            if (!compressed)
            {
                return ProvenanceXmp.TryRead(data, position, data.Length - position);
            }

            // zlib: a two-byte header, then deflate; the packet is capped like an uncompressed one.
            try
            {
                using var deflated = new DeflateStream(new MemoryStream(data, position + 2, data.Length - position - 2), CompressionMode.Decompress);
                using var text = new MemoryStream();
                var buffer = new byte[8192];
                int read;
                while ((read = deflated.Read(buffer, 0, buffer.Length)) > 0)
                {
                    text.Write(buffer, 0, read);
                    if (text.Length > MaxPacketBytes)
                    {
                        return null;
                    }
                }

                return ProvenanceXmp.TryRead(text.GetBuffer(), 0, (int)text.Length);
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        private static ProvenanceRecord? ReadJpeg(Stream stream)
        {
            byte[] xmpHeader = Encoding.ASCII.GetBytes(ProvenanceEmbedder.JpegXmpHeader);
            var marker = new byte[4];
            while (true)
            {
                if (!TryReadExactly(stream, marker, 2) || marker[0] != 0xFF)
                {
                    return null;
                }

                int kind = marker[1];
                while (kind == 0xFF)
                {
                    kind = stream.ReadByte(); // fill bytes before the marker
                }

                if (kind < 0)
                {
                    return null;
                }

                if (kind == 0xDA || kind == 0xD9)
                {
                    return null; // the scan or the end: XMP lives before both
                }

                if ((kind >= 0xD0 && kind <= 0xD7) || kind == 0x01)
                {
                    continue; // markers without a length
                }

                if (!TryReadExactly(stream, marker, 2, offset: 2))
                {
                    return null;
                }

                int length = ((marker[2] << 8) | marker[3]) - 2;
                if (length < 0)
                {
                    return null;
                }

                if (kind == 0xE1 && length > xmpHeader.Length)
                {
                    byte[] payload = ProvenanceEmbedder.ReadExactly(stream, new byte[length], length, "a JPEG APP1 segment");
                    if (StartsWith(payload, xmpHeader) && ProvenanceXmp.TryRead(payload, xmpHeader.Length, payload.Length - xmpHeader.Length) is ProvenanceRecord record)
                    {
                        return record;
                    }

                    continue;
                }

                Skip(stream, length);
            }
        }

        private static bool StartsWith(byte[] data, byte[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
            {
                if (data[i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryReadExactly(Stream stream, byte[] buffer, int count, int offset = 0)
        {
            int done = 0;
            while (done < count)
            {
                int read = stream.Read(buffer, offset + done, count - done);
                if (read == 0)
                {
                    return false;
                }

                done += read;
            }

            return true;
        }

        private static void Skip(Stream stream, long count)
        {
            if (stream.CanSeek)
            {
                stream.Seek(count, SeekOrigin.Current);
                return;
            }

            var buffer = new byte[8192];
            while (count > 0)
            {
                int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (read == 0)
                {
                    return;
                }

                count -= read;
            }
        }
    }
}
