using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Seedream.FakeApi;

/// <summary>Writes a real 8-bit RGB PNG with a vertical gradient (each row one colour); with alpha, RGBA whose alpha fades across each row.</summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Private, ancillary, safe-to-copy chunk type used for padding.</summary>
    public const string PaddingChunkType = "fkPd";

    /// <summary>Bytes a chunk adds around its data: length, type, CRC.</summary>
    public const int ChunkOverhead = 12;

    /// <param name="providerMetadata">Adds what a provider puts into its images (<see cref="ProviderMetadata"/>): eXIf, iTXt XMP, tEXt AIGC, caBX.</param>
    /// <param name="alpha">Writes colour type 6 (truecolour with alpha), as a transparent layer or background is.</param>
    public static byte[] Encode(int width, int height, int paddingBytes = 0, bool providerMetadata = false, bool alpha = false)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;   // bit depth
        header[9] = (byte)(alpha ? 6 : 2);   // colour type: truecolour, or truecolour with alpha
        header[10] = 0;  // compression
        header[11] = 0;  // filter method
        header[12] = 0;  // no interlace
        WriteChunk(output, "IHDR", header);
        if (providerMetadata)
        {
            WriteChunk(output, "eXIf", ProviderMetadata.Exif());
            WriteChunk(output, "iTXt", ProviderMetadata.PngXmp());
            WriteChunk(output, "tEXt", ProviderMetadata.PngAigcText());
            WriteChunk(output, "caBX", ProviderMetadata.Jumbf());
        }

        WriteChunk(output, "IDAT", alpha ? CompressPixelsWithAlpha(width, height) : CompressPixels(width, height));

        var baseLength = output.Length + ChunkOverhead; // + IEND
        var padding = paddingBytes - baseLength - ChunkOverhead;
        if (padding > 0)
        {
            var filler = new byte[padding];
            Random.Shared.NextBytes(filler);
            WriteChunk(output, PaddingChunkType, filler);
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static byte[] CompressPixels(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            // Filter type 1 (Sub): the first pixel carries the row colour, the rest are zero differences.
            var row = new byte[1 + width * 3];
            row[0] = 1;
            for (var y = 0; y < height; y++)
            {
                var t = height > 1 ? (double)y / (height - 1) : 0;
                row[1] = (byte)(40 + 180 * t);
                row[2] = (byte)(90 + 60 * (1 - t));
                row[3] = (byte)(200 - 150 * t);
                zlib.Write(row);
            }
        }
        return compressed.ToArray();
    }

    private static byte[] CompressPixelsWithAlpha(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            // Filter type 0 (None): every pixel written, the alpha falling from opaque at the left edge to clear at the right.
            var row = new byte[1 + width * 4];
            for (var y = 0; y < height; y++)
            {
                var t = height > 1 ? (double)y / (height - 1) : 0;
                for (var x = 0; x < width; x++)
                {
                    var at = 1 + x * 4;
                    row[at] = (byte)(220 - 150 * t);
                    row[at + 1] = (byte)(60 + 120 * t);
                    row[at + 2] = 90;
                    row[at + 3] = (byte)(255 - (width > 1 ? 255 * x / (width - 1) : 0));
                }
                zlib.Write(row);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typeBytes, data));
        output.Write(word);
    }
}
