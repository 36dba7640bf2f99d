using System.Buffers.Binary;

namespace Seedream.FakeApi;

/// <summary>What the fake reads from a data URI's image to apply the per-image rules: format, size and alpha.</summary>
internal readonly record struct ImageFacts(string Format, int Width, int Height, bool HasAlpha);

/// <summary>
/// A small header reader of the fake's own (PNG, JPEG, GIF, BMP, WebP, TIFF), so its per-image checks do not lean on the
/// module's reader. Null when the bytes are not an image of those formats or are cut short.
/// </summary>
internal static class ImageProbe
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageFacts? Read(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 29 && b[..8].SequenceEqual(PngSignature) && b.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            var colourType = b[25];
            return new("png", (int)BinaryPrimitives.ReadUInt32BigEndian(b[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(b[20..]),
                colourType is 4 or 6 || b.IndexOf("tRNS"u8) > 0);
        }
        if (b.Length >= 10 && b[..3].SequenceEqual("GIF"u8))
            return new("gif", BinaryPrimitives.ReadUInt16LittleEndian(b[6..]), BinaryPrimitives.ReadUInt16LittleEndian(b[8..]), false);
        if (b.Length >= 26 && b[0] == 'B' && b[1] == 'M')
            return new("bmp", Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(b[18..])), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(b[22..])), false);
        if (b.Length >= 30 && b[..4].SequenceEqual("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8))
            return Webp(b);
        if (b.Length >= 8 && (b[..4].SequenceEqual("II*\0"u8) || b[..4].SequenceEqual("MM\0*"u8)))
            return Tiff(b);
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xD8)
            return Jpeg(b);
        return null;
    }

    private static ImageFacts? Webp(ReadOnlySpan<byte> b)
    {
        var chunk = b.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
            return new("webp", 1 + (b[24] | b[25] << 8 | b[26] << 16), 1 + (b[27] | b[28] << 8 | b[29] << 16), (b[20] & 0x10) != 0);
        if (chunk.SequenceEqual("VP8L"u8) && b.Length >= 25)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return new("webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, ((bits >> 28) & 1) != 0);
        }
        if (chunk.SequenceEqual("VP8 "u8))
            return new("webp", BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF, false);
        return null;
    }

    private static ImageFacts? Tiff(ReadOnlySpan<byte> b)
    {
        var little = b[0] == 'I';
        var ifd = (int)U32(b, 4, little);
        if (ifd < 8 || ifd + 2 > b.Length) return null;
        int width = 0, height = 0;
        for (int i = 0, n = U16(b, ifd, little); i < n && ifd + 2 + (i + 1) * 12 <= b.Length; i++)
        {
            var entry = ifd + 2 + i * 12;
            var value = U16(b, entry + 2, little) == 3 ? U16(b, entry + 8, little) : (int)U32(b, entry + 8, little);
            if (U16(b, entry, little) == 256) width = value;
            if (U16(b, entry, little) == 257) height = value;
        }
        return width > 0 && height > 0 ? new("tiff", width, height, false) : null;
    }

    private static uint U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);

    private static ushort U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static ImageFacts? Jpeg(ReadOnlySpan<byte> b)
    {
        var at = 2;
        while (at + 9 < b.Length)
        {
            if (b[at] != 0xFF) return null;
            var marker = b[at + 1];
            if (marker == 0xFF) { at++; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return new("jpeg", BinaryPrimitives.ReadUInt16BigEndian(b[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(at + 5)..]), false);
            at += 2 + length;
        }
        return null;
    }
}
