using System;
using System.IO;

namespace Seedream.Simulator
{
    /// <summary>
    /// A small baseline JPEG encoder (ITU-T T.81: YCbCr 4:4:4, the Annex K tables scaled to quality 80, the standard
    /// Huffman tables) for <see cref="SimulatedPicture"/>, the models that write only JPEG included. A block of one colour
    /// (most of a simulated image) is coded from its DC value alone; only the blocks the mark's edges cross go through
    /// the DCT. An alpha channel, if any, is dropped (JPEG has none).
    /// </summary>
    internal static class SimulatedJpegWriter
    {
        private const int Quality = 80;

        private static readonly int[] ZigZag =
        {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
            35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        };

        // Annex K.1, natural (row) order.
        private static readonly int[] LuminanceBase =
        {
            16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
            18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
        };

        private static readonly int[] ChrominanceBase =
        {
            17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        };

        // Annex K.3.
        private static readonly byte[] DcLuminanceCounts = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
        private static readonly byte[] DcChrominanceCounts = { 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
        private static readonly byte[] DcSymbols = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
        private static readonly byte[] AcLuminanceCounts = { 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D };
        private static readonly byte[] AcLuminanceSymbols =
        {
            0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08,
            0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
            0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
            0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
            0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6,
            0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
            0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
        };

        private static readonly byte[] AcChrominanceCounts = { 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77 };
        private static readonly byte[] AcChrominanceSymbols =
        {
            0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
            0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
            0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
            0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
            0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4,
            0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
            0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
        };

        private static readonly int[] LuminanceQuant = Scaled(LuminanceBase);
        private static readonly int[] ChrominanceQuant = Scaled(ChrominanceBase);
        private static readonly HuffmanTable DcLuminance = new HuffmanTable(DcLuminanceCounts, DcSymbols);
        private static readonly HuffmanTable DcChrominance = new HuffmanTable(DcChrominanceCounts, DcSymbols);
        private static readonly HuffmanTable AcLuminance = new HuffmanTable(AcLuminanceCounts, AcLuminanceSymbols);
        private static readonly HuffmanTable AcChrominance = new HuffmanTable(AcChrominanceCounts, AcChrominanceSymbols);

        /// <summary>cos((2x+1)u pi / 16) * C(u) / 2, [x * 8 + u].</summary>
        private static readonly double[] Cosines = BuildCosines();

        public static byte[] Write(SimulatedPicture picture)
        {
            int width = picture.Width, height = picture.Height, channels = picture.Channels;
            if (width > 65535 || height > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(picture), "A JPEG is at most 65535 pixels a side.");
            }

            var output = new MemoryStream(64 * 1024);
            output.WriteByte(0xFF);
            output.WriteByte(0xD8); // SOI
            WriteSegment(output, 0xE0, new byte[] { (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 });
            WriteQuantTable(output, 0, LuminanceQuant);
            WriteQuantTable(output, 1, ChrominanceQuant);
            WriteSegment(output, 0xC0, new byte[]
            {
                8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3,
                1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1,
            });
            WriteHuffmanTable(output, 0x00, DcLuminanceCounts, DcSymbols);
            WriteHuffmanTable(output, 0x10, AcLuminanceCounts, AcLuminanceSymbols);
            WriteHuffmanTable(output, 0x01, DcChrominanceCounts, DcSymbols);
            WriteHuffmanTable(output, 0x11, AcChrominanceCounts, AcChrominanceSymbols);
            WriteSegment(output, 0xDA, new byte[] { 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0 });

            var bits = new BitWriter(output);
            int stride = width * channels;
            var rows = new byte[8][];
            for (int i = 0; i < 8; i++)
            {
                rows[i] = new byte[stride];
            }

            var y = new double[64];
            var cb = new double[64];
            var cr = new double[64];
            var coefficients = new int[64];
            int previousY = 0, previousCb = 0, previousCr = 0;
            for (int top = 0; top < height; top += 8)
            {
                for (int i = 0; i < 8; i++)
                {
                    if (top + i < height)
                    {
                        picture.FillRow(top + i, rows[i]);
                    }
                    else
                    {
                        Buffer.BlockCopy(rows[i - 1], 0, rows[i], 0, stride); // the last row repeated below the edge
                    }
                }

                for (int left = 0; left < width; left += 8)
                {
                    int first = left * channels;
                    bool flat = left + 8 <= width;
                    for (int row = 0; row < 8 && flat; row++)
                    {
                        byte[] line = rows[row];
                        for (int at = first, end = first + 8 * channels; at < end; at += channels)
                        {
                            if (line[at] != rows[0][first] || line[at + 1] != rows[0][first + 1] || line[at + 2] != rows[0][first + 2])
                            {
                                flat = false;
                                break;
                            }
                        }
                    }

                    for (int row = 0; row < 8; row++)
                    {
                        byte[] line = rows[row];
                        for (int column = 0; column < 8; column++)
                        {
                            int at = Math.Min(left + column, width - 1) * channels;
                            double r = line[at], g = line[at + 1], b = line[at + 2];
                            int k = row * 8 + column;
                            y[k] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
                            cb[k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
                            cr[k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
                            if (flat)
                            {
                                break; // one sample stands for the block
                            }
                        }

                        if (flat)
                        {
                            break;
                        }
                    }

                    previousY = EncodeBlock(bits, y, flat, LuminanceQuant, DcLuminance, AcLuminance, previousY, coefficients);
                    previousCb = EncodeBlock(bits, cb, flat, ChrominanceQuant, DcChrominance, AcChrominance, previousCb, coefficients);
                    previousCr = EncodeBlock(bits, cr, flat, ChrominanceQuant, DcChrominance, AcChrominance, previousCr, coefficients);
                }
            }

            bits.Flush();
            output.WriteByte(0xFF);
            output.WriteByte(0xD9); // EOI
            return output.ToArray();
        }

        /// <summary>Codes one 8x8 block; returns its quantised DC for the next block's difference.</summary>
        private static int EncodeBlock(BitWriter bits, double[] samples, bool flat, int[] quant, HuffmanTable dc, HuffmanTable ac, int previousDc, int[] coefficients)
        {
            if (flat)
            {
                // A flat block's DCT is its DC alone: 8 times the sample.
                Array.Clear(coefficients, 0, 64);
                coefficients[0] = (int)Math.Round(samples[0] * 8 / quant[0]);
            }
            else
            {
                Transform(samples, quant, coefficients);
            }

            int difference = coefficients[0] - previousDc;
            int category = Category(difference);
            bits.Write(dc.Codes[category], dc.Lengths[category]);
            bits.WriteValue(difference, category);

            int run = 0;
            for (int i = 1; i < 64; i++)
            {
                int value = coefficients[ZigZag[i]];
                if (value == 0)
                {
                    run++;
                    continue;
                }

                while (run > 15)
                {
                    bits.Write(ac.Codes[0xF0], ac.Lengths[0xF0]); // sixteen zeros
                    run -= 16;
                }

                int size = Category(value);
                int symbol = (run << 4) | size;
                bits.Write(ac.Codes[symbol], ac.Lengths[symbol]);
                bits.WriteValue(value, size);
                run = 0;
            }

            if (run > 0)
            {
                bits.Write(ac.Codes[0x00], ac.Lengths[0x00]); // end of block
            }

            return coefficients[0];
        }

        /// <summary>The forward DCT of one block (separable: rows, then columns), quantised, in natural order.</summary>
        private static void Transform(double[] samples, int[] quant, int[] coefficients)
        {
            var rows = new double[64];
            for (int row = 0; row < 8; row++)
            {
                for (int u = 0; u < 8; u++)
                {
                    double sum = 0;
                    for (int x = 0; x < 8; x++)
                    {
                        sum += samples[row * 8 + x] * Cosines[x * 8 + u];
                    }

                    rows[row * 8 + u] = sum;
                }
            }

            for (int u = 0; u < 8; u++)
            {
                for (int v = 0; v < 8; v++)
                {
                    double sum = 0;
                    for (int yy = 0; yy < 8; yy++)
                    {
                        sum += rows[yy * 8 + u] * Cosines[yy * 8 + v];
                    }

                    coefficients[v * 8 + u] = (int)Math.Round(sum / quant[v * 8 + u]);
                }
            }
        }

        private static int Category(int value)
        {
            int magnitude = value < 0 ? -value : value;
            int bits = 0;
            while (magnitude > 0)
            {
                bits++;
                magnitude >>= 1;
            }

            return bits;
        }

        private static double[] BuildCosines()
        {
            var table = new double[64];
            for (int x = 0; x < 8; x++)
            {
                for (int u = 0; u < 8; u++)
                {
                    double c = u == 0 ? 1 / Math.Sqrt(2) : 1;
                    table[x * 8 + u] = c / 2 * Math.Cos((2 * x + 1) * u * Math.PI / 16);
                }
            }

            return table;
        }

        private static int[] Scaled(int[] table)
        {
            int scale = Quality < 50 ? 5000 / Quality : 200 - Quality * 2;
            var result = new int[64];
            for (int i = 0; i < 64; i++)
            {
                result[i] = Math.Max(1, Math.Min(255, (table[i] * scale + 50) / 100));
            }

            return result;
        }

        private static void WriteQuantTable(Stream output, int id, int[] table)
        {
            var data = new byte[65];
            data[0] = (byte)id;
            for (int i = 0; i < 64; i++)
            {
                data[i + 1] = (byte)table[ZigZag[i]];
            }

            WriteSegment(output, 0xDB, data);
        }

        private static void WriteHuffmanTable(Stream output, int classAndId, byte[] counts, byte[] symbols)
        {
            var data = new byte[1 + 16 + symbols.Length];
            data[0] = (byte)classAndId;
            Buffer.BlockCopy(counts, 0, data, 1, 16);
            Buffer.BlockCopy(symbols, 0, data, 17, symbols.Length);
            WriteSegment(output, 0xC4, data);
        }

        private static void WriteSegment(Stream output, int marker, byte[] data)
        {
            output.WriteByte(0xFF);
            output.WriteByte((byte)marker);
            int length = data.Length + 2;
            output.WriteByte((byte)(length >> 8));
            output.WriteByte((byte)length);
            output.Write(data, 0, data.Length);
        }

        /// <summary>Canonical Huffman codes from the counts per length and the symbols (Annex C).</summary>
        private sealed class HuffmanTable
        {
            public HuffmanTable(byte[] counts, byte[] symbols)
            {
                int code = 0, k = 0;
                for (int length = 1; length <= 16; length++)
                {
                    for (int i = 0; i < counts[length - 1]; i++)
                    {
                        Codes[symbols[k]] = code;
                        Lengths[symbols[k]] = length;
                        code++;
                        k++;
                    }

                    code <<= 1;
                }
            }

            public int[] Codes { get; } = new int[256];
            public int[] Lengths { get; } = new int[256];
        }

        /// <summary>Entropy-coded bits, most significant first, with a 0x00 stuffed after every 0xFF byte.</summary>
        private sealed class BitWriter
        {
            private readonly Stream _output;
            private int _buffer;
            private int _count;

            public BitWriter(Stream output) => _output = output;

            public void Write(int code, int length)
            {
                for (int i = length - 1; i >= 0; i--)
                {
                    _buffer = (_buffer << 1) | ((code >> i) & 1);
                    if (++_count == 8)
                    {
                        Emit();
                    }
                }
            }

            /// <summary>A coefficient's extra bits: the value itself, or for a negative one its ones' complement.</summary>
            public void WriteValue(int value, int size)
            {
                if (size > 0)
                {
                    Write(value < 0 ? value - 1 + (1 << size) : value, size);
                }
            }

            public void Flush()
            {
                while (_count != 0)
                {
                    Write(1, 1); // pad with ones
                }
            }

            private void Emit()
            {
                _output.WriteByte((byte)_buffer);
                if (_buffer == 0xFF)
                {
                    _output.WriteByte(0);
                }

                _buffer = 0;
                _count = 0;
            }
        }
    }
}
