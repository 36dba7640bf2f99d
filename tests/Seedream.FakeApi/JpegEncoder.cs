namespace Seedream.FakeApi;

/// <summary>
/// Writes a real baseline greyscale JPEG of a flat mid-grey image: one Y component, every 8x8 block
/// coded as DC difference 0 followed by end-of-block, using the standard luminance Huffman tables.
/// </summary>
public static class JpegEncoder
{
    /// <summary>Largest payload of one APP15 padding segment (the length word counts itself).</summary>
    private const int MaxSegmentPayload = 65533;

    // ITU-T T.81 Annex K, table K.1 (luminance quantisation), in zig-zag order.
    private static readonly byte[] LuminanceQuantZigZag =
    [
        16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
        26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
        56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
        95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
    ];

    // Annex K.3.3.1: luminance DC table.
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    // Annex K.3.3.2: luminance AC table.
    private static readonly byte[] AcCounts = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D];
    private static readonly byte[] AcSymbols =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
        0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
        0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
        0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
        0xF9, 0xFA,
    ];

    /// <param name="providerMetadata">Adds what a provider puts into its images (<see cref="ProviderMetadata"/>): APP1 Exif, APP1 XMP, APP11 JUMBF.</param>
    public static byte[] Encode(int width, int height, int paddingBytes = 0, bool providerMetadata = false)
    {
        if (width is < 1 or > 65535 || height is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(width), "JPEG dimensions must be 1..65535.");

        var (dcCode, dcLength) = CodeFor(DcCounts, DcSymbols, 0x00);     // category 0: difference 0
        var (eobCode, eobLength) = CodeFor(AcCounts, AcSymbols, 0x00);   // run 0 / size 0: end of block
        var blocks = (long)((width + 7) / 8) * ((height + 7) / 8);
        var scan = EncodeScan(blocks, (dcCode << eobLength) | eobCode, dcLength + eobLength);

        using var output = new MemoryStream(scan.Length + 1024);
        output.Write([0xFF, 0xD8]); // SOI

        // APP0 JFIF 1.01, no thumbnail, aspect 1:1.
        WriteSegment(output, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        if (providerMetadata)
        {
            WriteSegment(output, 0xE1, ProviderMetadata.JpegExif());
            WriteSegment(output, 0xE1, ProviderMetadata.JpegXmp());
            WriteSegment(output, 0xEB, ProviderMetadata.JpegApp11());
        }

        // Segments still to come (marker + length word + payload): DQT, SOF0, two DHT, SOS.
        var headerTail = (4 + 65) + (4 + 9) + (4 + 17 + DcSymbols.Length) + (4 + 17 + AcSymbols.Length) + (4 + 6);
        var fixedLength = output.Length + headerTail + scan.Length + 2;
        AppendPadding(output, paddingBytes - fixedLength);

        // DQT: 8-bit precision, table 0.
        var dqt = new byte[65];
        dqt[0] = 0x00;
        LuminanceQuantZigZag.CopyTo(dqt, 1);
        WriteSegment(output, 0xDB, dqt);

        // SOF0: 8-bit, height, width, one component (id 1, 1x1 sampling, table 0).
        WriteSegment(output, 0xC0,
        [
            8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            1, 1, 0x11, 0,
        ]);

        WriteSegment(output, 0xC4, HuffmanTableSegment(0x00, DcCounts, DcSymbols));
        WriteSegment(output, 0xC4, HuffmanTableSegment(0x10, AcCounts, AcSymbols));

        // SOS: one component, DC/AC tables 0, spectral 0..63, no approximation.
        WriteSegment(output, 0xDA, [1, 1, 0x00, 0, 63, 0]);
        output.Write(scan);
        output.Write([0xFF, 0xD9]); // EOI
        return output.ToArray();
    }

    private static void AppendPadding(Stream output, long bytesWanted)
    {
        while (bytesWanted > 4)
        {
            var payload = (int)Math.Min(MaxSegmentPayload, bytesWanted - 4);
            var filler = new byte[payload];
            Random.Shared.NextBytes(filler);
            WriteSegment(output, 0xEF, filler); // APP15
            bytesWanted -= payload + 4;
        }
    }

    private static byte[] HuffmanTableSegment(byte classAndId, byte[] counts, byte[] symbols)
    {
        var data = new byte[1 + 16 + symbols.Length];
        data[0] = classAndId;
        counts.CopyTo(data, 1);
        symbols.CopyTo(data, 17);
        return data;
    }

    private static void WriteSegment(Stream output, byte marker, ReadOnlySpan<byte> payload)
    {
        var length = payload.Length + 2;
        output.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.Write(payload);
    }

    /// <summary>The canonical Huffman code (Annex C) the table assigns to a symbol.</summary>
    private static (int Code, int Length) CodeFor(byte[] counts, byte[] symbols, byte symbol)
    {
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++, k++)
            {
                if (symbols[k] == symbol) return (code, length);
                code++;
            }
            code <<= 1;
        }
        throw new InvalidOperationException("Symbol not in Huffman table.");
    }

    /// <summary>Bit-packs the same block code for every block, pads with 1-bits and stuffs 0x00 after 0xFF.</summary>
    private static byte[] EncodeScan(long blocks, int blockCode, int blockBits)
    {
        using var scan = new MemoryStream((int)Math.Min(int.MaxValue, blocks * blockBits / 8 + 16));
        ulong buffer = 0;
        var bitCount = 0;
        for (long b = 0; b < blocks; b++)
        {
            buffer = (buffer << blockBits) | (uint)blockCode;
            bitCount += blockBits;
            while (bitCount >= 8)
            {
                bitCount -= 8;
                EmitByte(scan, (byte)(buffer >> bitCount));
            }
            buffer &= (1UL << bitCount) - 1;
        }
        if (bitCount > 0)
        {
            var padBits = 8 - bitCount;
            EmitByte(scan, (byte)((buffer << padBits) | ((1UL << padBits) - 1)));
        }
        return scan.ToArray();
    }

    private static void EmitByte(Stream scan, byte value)
    {
        scan.WriteByte(value);
        if (value == 0xFF) scan.WriteByte(0x00);
    }
}
