using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using Seedream.Imaging;

namespace Seedream.Simulator
{
    /// <summary>
    /// Writes a <see cref="SimulatedPicture"/> as a PNG (8-bit RGB or RGBA): rows filtered "Up" (a row like the one
    /// above becomes zeros), compressed with the fastest deflate of System.IO.Compression, in a zlib stream with its
    /// Adler-32, split into IDAT chunks.
    /// </summary>
    internal static class SimulatedPngWriter
    {
        private const int ChunkBytes = 256 * 1024;
        private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        public static byte[] Write(SimulatedPicture picture)
        {
            int stride = picture.Width * picture.Channels;
            var zlib = new MemoryStream();
            zlib.WriteByte(0x78); // deflate, 32 KB window
            zlib.WriteByte(0x01); // fastest
            var adler = new Adler32();
            using (var deflate = new DeflateStream(zlib, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[stride];
                var previous = new byte[stride];
                var filtered = new byte[stride + 1];
                for (int y = 0; y < picture.Height; y++)
                {
                    picture.FillRow(y, row);
                    filtered[0] = y == 0 ? (byte)0 : (byte)2;
                    if (y == 0)
                    {
                        Buffer.BlockCopy(row, 0, filtered, 1, stride);
                    }
                    else
                    {
                        for (int i = 0; i < stride; i++)
                        {
                            filtered[i + 1] = (byte)(row[i] - previous[i]);
                        }
                    }

                    adler.Add(filtered, filtered.Length);
                    deflate.Write(filtered, 0, filtered.Length);
                    (row, previous) = (previous, row);
                }
            }

            uint checksum = adler.Value;
            zlib.WriteByte((byte)(checksum >> 24));
            zlib.WriteByte((byte)(checksum >> 16));
            zlib.WriteByte((byte)(checksum >> 8));
            zlib.WriteByte((byte)checksum);

            var output = new MemoryStream((int)zlib.Length + 256);
            output.Write(Signature, 0, Signature.Length);
            var header = new byte[13];
            WriteUInt32(header, 0, (uint)picture.Width);
            WriteUInt32(header, 4, (uint)picture.Height);
            header[8] = 8;                                   // bit depth
            header[9] = picture.HasAlpha ? (byte)6 : (byte)2; // RGBA or RGB
            WriteChunk(output, "IHDR", header, 0, header.Length);
            byte[] data = zlib.GetBuffer();
            for (int offset = 0; offset < zlib.Length; offset += ChunkBytes)
            {
                WriteChunk(output, "IDAT", data, offset, (int)Math.Min(ChunkBytes, zlib.Length - offset));
            }

            WriteChunk(output, "IEND", Array.Empty<byte>(), 0, 0);
            return output.ToArray();
        }

        private static void WriteChunk(Stream output, string type, byte[] data, int offset, int count)
        {
            var length = new byte[4];
            WriteUInt32(length, 0, (uint)count);
            output.Write(length, 0, 4);
            byte[] typeBytes = Encoding.ASCII.GetBytes(type);
            output.Write(typeBytes, 0, 4);
            byte[] body = new byte[count];
            Buffer.BlockCopy(data, offset, body, 0, count);
            output.Write(body, 0, count);
            var crc = new byte[4];
            WriteUInt32(crc, 0, Crc32.Compute(typeBytes, body));
            output.Write(crc, 0, 4);
        }

        private static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        /// <summary>The zlib checksum (RFC 1950), summed in runs short enough never to overflow.</summary>
        private sealed class Adler32
        {
            private uint _a = 1, _b;

            public uint Value => (_b << 16) | _a;

            public void Add(byte[] data, int count)
            {
                int i = 0;
                while (i < count)
                {
                    int run = Math.Min(5552, count - i);
                    for (int end = i + run; i < end; i++)
                    {
                        _a += data[i];
                        _b += _a;
                    }

                    _a %= 65521;
                    _b %= 65521;
                }
            }
        }
    }
}
