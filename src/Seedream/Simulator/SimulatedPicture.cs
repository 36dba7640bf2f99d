using System;
using System.Collections.Generic;

namespace Seedream.Simulator
{
    /// <summary>Where a simulated image is transparent.</summary>
    internal enum SimulatedAlpha
    {
        /// <summary>No alpha channel.</summary>
        None,

        /// <summary>A transparent background: the pattern is see-through, the mark opaque (background: transparent).</summary>
        Background,

        /// <summary>A layer of a decomposition: opaque inside the ellipse the box holds, see-through outside it.</summary>
        Layer,
    }

    /// <summary>
    /// The raster of a simulated image, made a row at a time (never an object per pixel): tiles in colours taken from
    /// the request's hash, and across the middle a dark band with "SIMULATED" and a caption in <see cref="BitmapFont"/>,
    /// with "AI GENERATED" in the corner when the request asked for a watermark. The same seed and size always give the
    /// same pixels. Rows within one band of tiles are copied from a template, so a 4096x4096 image costs little more
    /// than the bytes it has.
    /// </summary>
    internal sealed class SimulatedPicture
    {
        public const string Mark = "SIMULATED";
        private const string WatermarkText = "AI GENERATED";

        private readonly uint _seed;
        private readonly byte[][] _palette;
        private readonly int _tile;
        private readonly SimulatedAlpha _alpha;
        private readonly List<TextLine> _lines = new List<TextLine>();
        private readonly List<int[]> _bands = new List<int[]>(); // left, top, right, bottom of each dark band behind text
        private byte[]? _template;
        private int _templateRow = -1;

        public SimulatedPicture(byte[] seed, int width, int height, string caption, SimulatedAlpha alpha = SimulatedAlpha.None, bool watermark = false)
        {
            if (width < 1 || height < 1 || (long)width * height > MaxPixels)
            {
                throw new ArgumentOutOfRangeException(nameof(width), $"A simulated image is 1 to {MaxPixels:N0} pixels; {width}x{height} was asked for.");
            }

            Width = width;
            Height = height;
            _alpha = alpha;
            _seed = BitConverter.ToUInt32(seed, 0);
            _palette = new byte[4][];
            for (int i = 0; i < 4; i++)
            {
                // Mid tones (64..191), so the white mark on its dark band stands out from every tile.
                _palette[i] = new[] { (byte)(64 + seed[4 + 3 * i] / 2), (byte)(64 + seed[5 + 3 * i] / 2), (byte)(64 + seed[6 + 3 * i] / 2) };
            }

            int shorter = Math.Min(width, height);
            _tile = Math.Max(8, Math.Min(512, shorter / 10 / 8 * 8));

            // The mark as large as fits in 80% of the width and a quarter of the height; in whole 8-pixel cells once it
            // is large, so a JPEG codes most of it as flat blocks.
            int markWidth = BitmapFont.WidthOf(Mark);
            int scale = Math.Max(1, Math.Min(width * 8 / 10 / markWidth, height / 4 / BitmapFont.GlyphHeight));
            scale = Align(scale);
            int captionScale = Math.Max(1, scale / 3);
            while (captionScale > 1 && BitmapFont.WidthOf(caption) * captionScale > width * 9 / 10)
            {
                captionScale--;
            }

            captionScale = Align(captionScale);
            int gap = captionScale * 2;
            int total = BitmapFont.GlyphHeight * scale + gap + BitmapFont.GlyphHeight * captionScale;
            int top = AlignDown(Math.Max(0, (height - total) / 2), scale);
            _lines.Add(new TextLine(Mark, AlignDown(Math.Max(0, (width - markWidth * scale) / 2), scale), top, scale));
            int captionTop = top + BitmapFont.GlyphHeight * scale + gap;
            _lines.Add(new TextLine(caption, AlignDown(Math.Max(0, (width - BitmapFont.WidthOf(caption) * captionScale) / 2), captionScale), captionTop, captionScale));

            int pad = scale;
            int bandBottom = Math.Min(height, captionTop + BitmapFont.GlyphHeight * captionScale + pad);
            _bands.Add(new[]
            {
                Math.Max(0, Math.Min(_lines[0].Left, _lines[1].Left) - pad), Math.Max(0, top - pad),
                Math.Min(width, Math.Max(_lines[0].Right, _lines[1].Right) + pad), bandBottom,
            });

            if (watermark)
            {
                int wScale = Math.Max(1, Math.Min(captionScale, width / 3 / BitmapFont.WidthOf(WatermarkText)));
                int margin = Math.Max(2, wScale * 2);
                int wLeft = width - BitmapFont.WidthOf(WatermarkText) * wScale - margin;
                int wTop = height - BitmapFont.GlyphHeight * wScale - margin;
                if (wLeft >= wScale && wTop >= bandBottom + wScale)
                {
                    var line = new TextLine(WatermarkText, wLeft, wTop, wScale);
                    _lines.Add(line);
                    _bands.Add(new[] { wLeft - wScale, wTop - wScale, Math.Min(width, line.Right + wScale), Math.Min(height, wTop + (BitmapFont.GlyphHeight + 1) * wScale) });
                }
            }
        }

        /// <summary>The largest image made: above the largest output any model has, below what a reference may be.</summary>
        public const long MaxPixels = 40_000_000;

        public int Width { get; }
        public int Height { get; }
        public bool HasAlpha => _alpha != SimulatedAlpha.None;
        public int Channels => HasAlpha ? 4 : 3;

        /// <summary>Fills <paramref name="row"/> (Width * Channels bytes, RGB or RGBA) with row <paramref name="y"/>.</summary>
        public void FillRow(int y, byte[] row)
        {
            int channels = Channels;
            int tileRow = y / _tile;
            if (_template is null || _templateRow != tileRow)
            {
                _template ??= new byte[Width * channels];
                for (int tx = 0, x = 0; x < Width; tx++, x += _tile)
                {
                    byte[] colour = _palette[TileIndex(tx, tileRow)];
                    Fill(_template, x, Math.Min(Width, x + _tile), colour[0], colour[1], colour[2], _alpha == SimulatedAlpha.Background ? (byte)0 : (byte)255);
                }

                _templateRow = tileRow;
            }

            Buffer.BlockCopy(_template, 0, row, 0, Width * channels);
            if (_alpha == SimulatedAlpha.Layer)
            {
                // Opaque inside the ellipse the image holds; see-through (and black) outside.
                double ry = Height / 2.0, rx = Width / 2.0, dy = (y + 0.5 - ry) / ry;
                int half = dy * dy >= 1 ? 0 : (int)Math.Round(rx * Math.Sqrt(1 - dy * dy));
                int from = (int)rx - half, to = (int)rx + half;
                Fill(row, 0, Math.Max(0, from), 0, 0, 0, 0);
                Fill(row, Math.Min(Width, to), Width, 0, 0, 0, 0);
            }

            foreach (int[] band in _bands)
            {
                if (y >= band[1] && y < band[3])
                {
                    Fill(row, band[0], band[2], 24, 24, 32, 255);
                }
            }

            foreach (TextLine line in _lines)
            {
                if (y < line.Top || y >= line.Top + BitmapFont.GlyphHeight * line.Scale)
                {
                    continue;
                }

                int glyphRow = (y - line.Top) / line.Scale;
                for (int i = 0; i < line.Text.Length; i++)
                {
                    int bits = BitmapFont.RowBits(line.Text[i], glyphRow);
                    for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                    {
                        if ((bits & (1 << (BitmapFont.GlyphWidth - 1 - column))) != 0)
                        {
                            int x = line.Left + (i * BitmapFont.Advance + column) * line.Scale;
                            Fill(row, x, Math.Min(Width, x + line.Scale), 240, 240, 240, 255);
                        }
                    }
                }
            }
        }

        private int TileIndex(int tx, int ty)
        {
            uint h = _seed ^ ((uint)tx * 0x9E3779B1u) ^ ((uint)ty * 0x85EBCA77u);
            h ^= h >> 15;
            h *= 0x2C1B3C6Du;
            h ^= h >> 12;
            return (int)(h & 3);
        }

        private void Fill(byte[] row, int from, int to, byte r, byte g, byte b, byte a)
        {
            if (HasAlpha)
            {
                for (int x = Math.Max(0, from), i = x * 4; x < to; x++)
                {
                    row[i++] = r;
                    row[i++] = g;
                    row[i++] = b;
                    row[i++] = a;
                }
            }
            else
            {
                for (int x = Math.Max(0, from), i = x * 3; x < to; x++)
                {
                    row[i++] = r;
                    row[i++] = g;
                    row[i++] = b;
                }
            }
        }

        /// <summary>A scale of 16 or more rounded down to whole 8-pixel cells (a smaller one would lose too much).</summary>
        private static int Align(int scale) => scale >= 16 ? scale / 8 * 8 : scale;

        private static int AlignDown(int position, int scale) => scale >= 16 ? position / 8 * 8 : position;

        private sealed class TextLine
        {
            public TextLine(string text, int left, int top, int scale)
            {
                Text = text;
                Left = left;
                Top = top;
                Scale = scale;
            }

            public string Text { get; }
            public int Left { get; }
            public int Top { get; }
            public int Scale { get; }
            public int Right => Left + BitmapFont.WidthOf(Text) * Scale;
        }
    }
}
