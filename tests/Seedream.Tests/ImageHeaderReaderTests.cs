using System.Buffers.Binary;
using System.Text;
using Seedream.Imaging;

namespace Seedream.Tests;

public class ImageHeaderReaderTests
{
    // ------------------------------------------------------------------ builders

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] U16BE(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); return b; }
    private static byte[] U16LE(int v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); return b; }
    private static byte[] U32BE(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; }
    private static byte[] U32LE(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    private static byte[] I32LE(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); return b; }
    private static byte[] U24LE(int v) => new[] { (byte)v, (byte)(v >> 8), (byte)(v >> 16) };

    private static byte[] PngChunk(string type, byte[] data) =>
        Concat(U32BE((uint)data.Length), Ascii(type), data, U32BE(0xDEADBEEF) /* CRC not checked */);

    internal static byte[] Png(uint width, uint height) => Concat(
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A },
        PngChunk("IHDR", Concat(U32BE(width), U32BE(height), new byte[] { 8, 6, 0, 0, 0 })),
        PngChunk("IEND", Array.Empty<byte>()));

    private static byte[] JpegSegment(byte marker, byte[] payload) =>
        Concat(new byte[] { 0xFF, marker }, U16BE(payload.Length + 2), payload);

    private static byte[] JpegApp0() =>
        JpegSegment(0xE0, Concat(Ascii("JFIF\0"), new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 }));

    private static byte[] JpegSof(byte marker, int width, int height) =>
        JpegSegment(marker, Concat(new byte[] { 8 }, U16BE(height), U16BE(width), new byte[] { 1, 1, 0x11, 0 }));

    private static byte[] JpegSos() =>
        Concat(JpegSegment(0xDA, new byte[] { 1, 1, 0, 0, 63, 0 }), new byte[] { 0x12, 0x34, 0xFF, 0xD9 });

    private static readonly byte[] Soi = { 0xFF, 0xD8 };

    internal static byte[] JpegBaseline(int width, int height) =>
        Concat(Soi, JpegApp0(), JpegSof(0xC0, width, height), JpegSos());

    private static byte[] JpegProgressiveWithExif(int width, int height, int exifPayload = 200)
    {
        var exif = new byte[exifPayload];
        Ascii("Exif\0\0II*\0").CopyTo(exif, 0);
        for (int i = 10; i < exif.Length; i++)
        {
            exif[i] = (byte)(i % 2 == 0 ? 0xFF : 0xC0); // marker-looking noise inside the segment
        }

        return Concat(Soi, JpegSegment(0xE1, exif), JpegSegment(0xDB, new byte[65]), JpegSof(0xC2, width, height), JpegSos());
    }

    private static byte[] Riff(string fourcc, byte[] chunkData)
    {
        var chunk = Concat(Ascii(fourcc), U32LE((uint)chunkData.Length), chunkData,
            chunkData.Length % 2 == 1 ? new byte[1] : Array.Empty<byte>());
        return Concat(Ascii("RIFF"), U32LE((uint)(4 + chunk.Length)), Ascii("WEBP"), chunk);
    }

    private static byte[] WebpLossy(int width, int height, int scaleBits = 0) => Riff("VP8 ", Concat(
        new byte[] { 0x50, 0x02, 0x00 },          // frame tag: key frame
        new byte[] { 0x9D, 0x01, 0x2A },          // start code
        U16LE(width | (scaleBits << 14)),
        U16LE(height | (scaleBits << 14)),
        new byte[8]));

    private static byte[] WebpLossless(int width, int height)
    {
        uint bits = (uint)(width - 1) | ((uint)(height - 1) << 14) | (1u << 28) /* alpha hint */;
        return Riff("VP8L", Concat(new byte[] { 0x2F }, U32LE(bits), new byte[4]));
    }

    private static byte[] WebpExtended(int width, int height) => Concat(
        Riff("VP8X", Concat(new byte[] { 0x10, 0, 0, 0 }, U24LE(width - 1), U24LE(height - 1))),
        Array.Empty<byte>());

    private static byte[] BmpV3(int width, int height)
    {
        var info = Concat(U32LE(40), I32LE(width), I32LE(height), U16LE(1), U16LE(24), new byte[24]);
        int pixels = 4;
        return Concat(Ascii("BM"), U32LE((uint)(14 + info.Length + pixels)), new byte[4], U32LE((uint)(14 + info.Length)), info, new byte[pixels]);
    }

    private static byte[] BmpCore(int width, int height)
    {
        var core = Concat(U32LE(12), U16LE(width), U16LE(height), U16LE(1), U16LE(24));
        return Concat(Ascii("BM"), U32LE((uint)(14 + core.Length + 4)), new byte[4], U32LE((uint)(14 + core.Length)), core, new byte[4]);
    }

    /// <summary>A TIFF with some leading padding before the IFD and a few tags around the dimensions.</summary>
    private static byte[] Tiff(bool littleEndian, int width, int height, bool useLong, int gapBeforeIfd = 6)
    {
        byte[] U16(int v) => littleEndian ? U16LE(v) : U16BE(v);
        byte[] U32(uint v) => littleEndian ? U32LE(v) : U32BE(v);

        byte[] Entry(int tag, int type, uint count, uint value)
        {
            // SHORT values are left-justified in the 4-byte field.
            byte[] field = type == 3 ? Concat(U16((int)value), new byte[2]) : U32(value);
            return Concat(U16(tag), U16(type), U32(count), field);
        }

        int dimType = useLong ? 4 : 3;
        var ifd = Concat(
            U16(4),
            Entry(254, 4, 1, 0),                       // NewSubfileType
            Entry(256, dimType, 1, (uint)width),       // ImageWidth
            Entry(257, dimType, 1, (uint)height),      // ImageLength
            Entry(258, 3, 1, 8),                       // BitsPerSample
            U32(0));

        var header = Concat(littleEndian ? Ascii("II") : Ascii("MM"), U16(42), U32((uint)(8 + gapBeforeIfd)));
        return Concat(header, new byte[gapBeforeIfd], ifd);
    }

    private static byte[] Gif(string version, int width, int height) => Concat(
        Ascii("GIF" + version), U16LE(width), U16LE(height), new byte[] { 0x00, 0, 0 }, new byte[] { 0x3B });

    // ------------------------------------------------------------------ helpers

    private static ImageHeader ReadOk(byte[] data)
    {
        bool ok = ImageHeaderReader.TryRead(data, out var header, out var error);
        Assert.True(ok, error);
        Assert.Null(error);

        // Stream overload agrees, seekable and not.
        Assert.True(ImageHeaderReader.TryRead(new MemoryStream(data), out var viaStream, out _));
        Assert.Equal(header, viaStream);
        Assert.True(ImageHeaderReader.TryRead(new NonSeekableStream(new MemoryStream(data)), out var viaNonSeekable, out _));
        Assert.Equal(header, viaNonSeekable);
        Assert.True(ImageHeaderReader.TryRead(new TrickleStream(new MemoryStream(data)), out var viaTrickle, out _));
        Assert.Equal(header, viaTrickle);
        return header;
    }

    private static string ReadFails(byte[] data)
    {
        bool ok = ImageHeaderReader.TryRead(data, out var header, out var error);
        Assert.False(ok);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(default(ImageHeader), header);

        Assert.False(ImageHeaderReader.TryRead(new NonSeekableStream(new MemoryStream(data)), out _, out var error2));
        Assert.Equal(error, error2);
        return error!;
    }

    private static void AssertHeader(ImageHeader h, ImageFormat format, int width, int height)
    {
        Assert.Equal(format, h.Format);
        Assert.Equal(width, h.Width);
        Assert.Equal(height, h.Height);
    }

    // ------------------------------------------------------------------ format detection

    [Theory]
    [InlineData("89504E470D0A1A0A", ImageFormat.Png)]
    [InlineData("FFD8FF", ImageFormat.Jpeg)]
    [InlineData("FFD8FFE000104A464946", ImageFormat.Jpeg)]
    [InlineData("52494646000000005745425056503820", ImageFormat.Webp)]
    [InlineData("424D", ImageFormat.Bmp)]
    [InlineData("49492A00", ImageFormat.Tiff)]
    [InlineData("4D4D002A", ImageFormat.Tiff)]
    [InlineData("474946383761", ImageFormat.Gif)]
    [InlineData("474946383961", ImageFormat.Gif)]
    public void DetectFormat_RecognisesMagicBytes(string hex, ImageFormat expected)
    {
        Assert.Equal(expected, ImageHeaderReader.DetectFormat(Convert.FromHexString(hex)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("89504E470D0A1A")]             // PNG signature cut short
    [InlineData("FFD8")]                       // JPEG needs three bytes
    [InlineData("524946460000000041564920")]   // RIFF AVI
    [InlineData("5249464600000000")]           // RIFF without form type
    [InlineData("49492B00")]                   // BigTIFF
    [InlineData("474946383861")]               // GIF88a
    [InlineData("25504446")]                   // %PDF
    [InlineData("42")]
    public void DetectFormat_ReturnsNullForUnknown(string hex)
    {
        Assert.Null(ImageHeaderReader.DetectFormat(Convert.FromHexString(hex)));
    }

    // ------------------------------------------------------------------ ImageHeader names

    [Theory]
    [InlineData(ImageFormat.Png, "png", ".png")]
    [InlineData(ImageFormat.Jpeg, "jpeg", ".jpg")]
    [InlineData(ImageFormat.Webp, "webp", ".webp")]
    [InlineData(ImageFormat.Bmp, "bmp", ".bmp")]
    [InlineData(ImageFormat.Tiff, "tiff", ".tif")]
    [InlineData(ImageFormat.Gif, "gif", ".gif")]
    public void ImageHeader_ExposesMimeSubtypeAndExtension(ImageFormat format, string mime, string ext)
    {
        var h = new ImageHeader(format, 3, 4);
        Assert.Equal(mime, h.MimeSubtype);
        Assert.Equal(ext, h.FileExtension);
        Assert.Equal(mime, format.MimeSubtype());
        Assert.Equal(ext, format.FileExtension());
    }

    // ------------------------------------------------------------------ valid images

    [Theory]
    [InlineData(1u, 1u)]
    [InlineData(1024u, 768u)]
    [InlineData(4096u, 2160u)]
    [InlineData(70000u, 3u)]
    public void Png_ReadsIhdr(uint width, uint height)
    {
        AssertHeader(ReadOk(Png(width, height)), ImageFormat.Png, (int)width, (int)height);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(640, 480)]
    [InlineData(65535, 65535)]
    public void Jpeg_Baseline_App0Sof0Sos(int width, int height)
    {
        AssertHeader(ReadOk(JpegBaseline(width, height)), ImageFormat.Jpeg, width, height);
    }

    [Fact]
    public void Jpeg_Progressive_WithExifApp1Before()
    {
        AssertHeader(ReadOk(JpegProgressiveWithExif(3000, 2000)), ImageFormat.Jpeg, 3000, 2000);
    }

    [Theory]
    [InlineData(0xC1)]
    [InlineData(0xC3)]
    [InlineData(0xC5)]
    [InlineData(0xC7)]
    [InlineData(0xC9)]
    [InlineData(0xCB)]
    [InlineData(0xCD)]
    [InlineData(0xCF)]
    public void Jpeg_OtherSofMarkers(int marker)
    {
        var data = Concat(Soi, JpegSof((byte)marker, 321, 123), JpegSos());
        AssertHeader(ReadOk(data), ImageFormat.Jpeg, 321, 123);
    }

    [Fact]
    public void Jpeg_SkipsDhtJpgDacAndHandlesFillAndStandaloneMarkers()
    {
        var data = Concat(
            Soi,
            new byte[] { 0xFF, 0xFF, 0xFF },                       // fill bytes before the next marker
            JpegApp0(),
            new byte[] { 0xFF, 0xD0, 0xFF, 0x01 },                 // standalone RST0 and TEM
            JpegSegment(0xC4, new byte[20]),                       // DHT looks like SOF but isn't
            JpegSegment(0xC8, new byte[3]),                        // JPG
            JpegSegment(0xCC, new byte[2]),                        // DAC
            JpegSegment(0xFE, Ascii("comment")),                   // COM
            new byte[] { 0xFF, 0xFF },
            JpegSof(0xC0, 800, 600),
            JpegSos());
        AssertHeader(ReadOk(data), ImageFormat.Jpeg, 800, 600);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(550, 368, 0)]
    [InlineData(16383, 16383, 0)]
    [InlineData(100, 50, 2)] // scale bits must be masked off
    public void Webp_Lossy(int width, int height, int scaleBits)
    {
        AssertHeader(ReadOk(WebpLossy(width, height, scaleBits)), ImageFormat.Webp, width, height);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(400, 301)]
    [InlineData(16384, 16384)]
    public void Webp_Lossless(int width, int height)
    {
        AssertHeader(ReadOk(WebpLossless(width, height)), ImageFormat.Webp, width, height);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1920, 1080)]
    [InlineData(16777216, 20000)]
    public void Webp_Extended(int width, int height)
    {
        AssertHeader(ReadOk(WebpExtended(width, height)), ImageFormat.Webp, width, height);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(800, -600)] // top-down
    [InlineData(1, -1)]
    public void Bmp_InfoHeader(int width, int height)
    {
        AssertHeader(ReadOk(BmpV3(width, height)), ImageFormat.Bmp, width, Math.Abs(height));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(300, 200)]
    [InlineData(65535, 40000)]
    public void Bmp_CoreHeader(int width, int height)
    {
        AssertHeader(ReadOk(BmpCore(width, height)), ImageFormat.Bmp, width, height);
    }

    [Theory]
    [InlineData(true, false, 640, 480)]
    [InlineData(true, true, 100000, 70000)]
    [InlineData(false, false, 640, 480)]
    [InlineData(false, true, 100000, 70000)]
    [InlineData(false, false, 65535, 1)]
    public void Tiff_BothByteOrders_ShortAndLong(bool littleEndian, bool useLong, int width, int height)
    {
        AssertHeader(ReadOk(Tiff(littleEndian, width, height, useLong)), ImageFormat.Tiff, width, height);
    }

    [Fact]
    public void Tiff_IfdImmediatelyAfterHeader()
    {
        AssertHeader(ReadOk(Tiff(true, 12, 34, false, gapBeforeIfd: 0)), ImageFormat.Tiff, 12, 34);
    }

    [Theory]
    [InlineData("89a", 1, 1)]
    [InlineData("89a", 500, 250)]
    [InlineData("87a", 65535, 2)]
    public void Gif_LogicalScreen(string version, int width, int height)
    {
        AssertHeader(ReadOk(Gif(version, width, height)), ImageFormat.Gif, width, height);
    }

    [Fact]
    public void Stream_ReadsFromCurrentPosition()
    {
        var data = Concat(new byte[] { 1, 2, 3, 4, 5 }, Tiff(false, 9, 8, true, gapBeforeIfd: 10));
        using var ms = new MemoryStream(data);
        ms.Position = 5;
        Assert.True(ImageHeaderReader.TryRead(ms, out var h, out var error), error);
        AssertHeader(h, ImageFormat.Tiff, 9, 8);
    }

    // ------------------------------------------------------------------ malformed input

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("25504446 2D312E340A")]
    [InlineData("3C3F786D6C2076657273696F6E3D")]
    [InlineData("52494646000000004156492000000000")]
    public void Garbage_ReturnsFalseWithError(string hex)
    {
        string error = ReadFails(Convert.FromHexString(hex.Replace(" ", "")));
        Assert.True(error == ImageHeaderReader.UnsupportedFormatError || error == ImageHeaderReader.EmptyInputError, error);
    }

    [Fact]
    public void Garbage_ErrorMessageNamesSupportedFormats()
    {
        Assert.Equal("not a supported image format (png, jpeg, webp, bmp, tiff, gif)", ReadFails(Ascii("hello, world!")));
    }

    public static TheoryData<string, byte[]> ValidSamples() => new()
    {
        { "png", Png(10, 20) },
        { "jpeg", JpegBaseline(10, 20) },
        { "jpeg", JpegProgressiveWithExif(10, 20) },
        { "webp", WebpLossy(10, 20) },
        { "webp", WebpLossless(10, 20) },
        { "webp", WebpExtended(10, 20) },
        { "bmp", BmpV3(10, -20) },
        { "bmp", BmpCore(10, 20) },
        { "tiff", Tiff(true, 10, 20, false) },
        { "tiff", Tiff(false, 10, 20, true) },
        { "gif", Gif("89a", 10, 20) },
    };

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void ArrayOverload_ReadsLikeTheSpanOverload_AndLeavesTheArrayAlone(string mime, byte[] data)
    {
        byte[] original = data.ToArray();
        Assert.True(ImageHeaderReader.TryRead(data.AsSpan(), out ImageHeader fromSpan, out _));
        Assert.True(ImageHeaderReader.TryRead(data, out ImageHeader fromArray, out string? error), error);
        Assert.Equal(fromSpan, fromArray);
        Assert.Equal(mime, fromArray.MimeSubtype);
        Assert.Equal(original, data);
    }

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void EveryTruncation_ReturnsFalse(string mime, byte[] data)
    {
        // Find the shortest prefix that still reads; all shorter prefixes must fail cleanly.
        int needed = Enumerable.Range(0, data.Length + 1)
            .First(n => ImageHeaderReader.TryRead(data.AsSpan(0, n), out _, out _));
        Assert.True(needed > 0);

        for (int n = 0; n < needed; n++)
        {
            string error = ReadFails(data[..n]);
            if (n >= 12)
            {
                Assert.Contains(mime, error, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData("png", "truncated PNG header")]
    [InlineData("gif", "truncated GIF header")]
    public void Truncated_ReportsFormatSpecificError(string format, string expected)
    {
        byte[] data = format == "png" ? Png(5, 5)[..20] : Gif("89a", 5, 5)[..8];
        Assert.Equal(expected, ReadFails(data));
    }

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void RandomCorruption_NeverThrows(string mime, byte[] data)
    {
        _ = mime;
        var rng = new Random(12345);
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            var copy = (byte[])data.Clone();
            int flips = 1 + rng.Next(4);
            for (int f = 0; f < flips; f++)
            {
                int index = 2 + rng.Next(copy.Length - 2); // keep the first magic bytes mostly intact
                copy[index] = (byte)rng.Next(256);
            }

            bool ok = ImageHeaderReader.TryRead(copy, out var h, out var error);
            if (ok)
            {
                Assert.Null(error);
                Assert.True(h.Width > 0 && h.Height > 0);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }

    [Fact]
    public void Png_WrongFirstChunk_Fails()
    {
        var data = Png(5, 5);
        Ascii("IDAT").CopyTo(data, 12);
        Assert.Contains("IHDR", ReadFails(data));
    }

    [Theory]
    [InlineData(0u, 5u)]
    [InlineData(5u, 0u)]
    [InlineData(0x80000000u, 5u)]
    public void Png_InvalidDimensions_Fail(uint width, uint height)
    {
        Assert.Contains("dimensions", ReadFails(Png(width, height)));
    }

    [Fact]
    public void Jpeg_ScanBeforeFrame_Fails()
    {
        var data = Concat(Soi, JpegApp0(), JpegSos());
        Assert.Contains("frame header", ReadFails(data));
    }

    [Fact]
    public void Jpeg_EoiBeforeFrame_Fails()
    {
        Assert.Contains("frame header", ReadFails(Concat(Soi, JpegApp0(), new byte[] { 0xFF, 0xD9 })));
    }

    [Fact]
    public void Jpeg_BadSegmentLength_Fails()
    {
        Assert.Contains("length", ReadFails(Concat(Soi, new byte[] { 0xFF, 0xE0, 0x00, 0x01 }, new byte[10])));
    }

    [Fact]
    public void Jpeg_SegmentLengthBeyondEnd_Fails()
    {
        Assert.Equal("truncated JPEG header", ReadFails(Concat(Soi, new byte[] { 0xFF, 0xE1, 0xFF, 0xFF }, new byte[100])));
    }

    [Fact]
    public void Jpeg_GarbageBetweenSegments_Fails()
    {
        Assert.Contains("marker", ReadFails(Concat(Soi, JpegApp0(), new byte[] { 0x00, 0x00 }, JpegSof(0xC0, 4, 4))));
    }

    [Fact]
    public void Jpeg_OnlyFillBytes_Fails()
    {
        var data = Concat(Soi, Enumerable.Repeat((byte)0xFF, 5000).ToArray());
        Assert.Equal("truncated JPEG header", ReadFails(data));
    }

    [Fact]
    public void Jpeg_ZeroHeight_Fails()
    {
        Assert.Contains("DNL", ReadFails(JpegBaseline(10, 0)));
    }

    [Fact]
    public void Webp_UnknownFirstChunk_Fails()
    {
        Assert.Contains("unsupported WebP chunk", ReadFails(Riff("ALPH", new byte[16])));
    }

    [Fact]
    public void Webp_BadVp8StartCode_Fails()
    {
        var data = WebpLossy(10, 10);
        data[23] = 0x00;
        Assert.Contains("start code", ReadFails(data));
    }

    [Fact]
    public void Webp_BadVp8lSignature_Fails()
    {
        var data = WebpLossless(10, 10);
        data[20] = 0x2E;
        Assert.Contains("signature", ReadFails(data));
    }

    [Fact]
    public void Bmp_UnsupportedHeaderSize_Fails()
    {
        var data = BmpV3(10, 10);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(14), 8);
        Assert.Contains("header size", ReadFails(data));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-10, 10)]
    [InlineData(10, 0)]
    [InlineData(10, int.MinValue)]
    public void Bmp_InvalidDimensions_Fail(int width, int height)
    {
        Assert.Contains("dimensions", ReadFails(BmpV3(width, height)));
    }

    [Fact]
    public void Tiff_IfdOffsetBeyondEnd_Fails()
    {
        var data = Tiff(true, 10, 10, false);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 0xFFFFFFF0);
        Assert.Equal("truncated TIFF header", ReadFails(data));
    }

    [Fact]
    public void Tiff_IfdOffsetInsideHeader_Fails()
    {
        var data = Tiff(false, 10, 10, false);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), 4);
        Assert.Contains("IFD offset", ReadFails(data));
    }

    [Fact]
    public void Tiff_MissingDimensionTags_Fails()
    {
        var data = Tiff(true, 10, 10, false);
        // Retag ImageLength (entry 3) as tag 300.
        int entry3 = 8 + 6 + 2 + 2 * 12;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(entry3), 300);
        Assert.Contains("missing", ReadFails(data));
    }

    [Fact]
    public void Tiff_WrongDimensionType_Fails()
    {
        var data = Tiff(false, 10, 10, false);
        int entry2 = 8 + 6 + 2 + 12;
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(entry2 + 2), 2); // ASCII
        Assert.Contains("type", ReadFails(data));
    }

    [Fact]
    public void Gif_ZeroSize_Fails()
    {
        Assert.Contains("dimensions", ReadFails(Gif("89a", 0, 10)));
    }

    // ------------------------------------------------------------------ stream behaviour

    private const int TenMegabytes = 10 * 1024 * 1024;

    public static TheoryData<string, byte[]> SmallHeaders() => new()
    {
        { "png", Png(4000, 3000) },
        { "jpeg", JpegBaseline(4000, 3000) },
        { "webp", WebpLossy(4000, 3000) },
        { "webp", WebpLossless(4000, 3000) },
        { "webp", WebpExtended(4000, 3000) },
        { "bmp", BmpV3(4000, 3000) },
        { "bmp", BmpCore(4000, 3000) },
        { "tiff", Tiff(true, 4000, 3000, false) },
        { "gif", Gif("89a", 4000, 3000) },
    };

    [Theory]
    [MemberData(nameof(SmallHeaders))]
    public void LargePaddedStream_StopsReadingEarly(string mime, byte[] data)
    {
        var padded = new byte[TenMegabytes];
        data.CopyTo(padded, 0);

        foreach (bool seekable in new[] { true, false })
        {
            var counting = new CountingStream(new MemoryStream(padded, writable: false), seekable);
            Assert.True(ImageHeaderReader.TryRead(counting, out var h, out var error), error);
            Assert.Equal(mime, h.MimeSubtype);
            Assert.Equal(4000, h.Width);
            Assert.Equal(3000, h.Height);
            Assert.True(counting.BytesRead <= 64, $"{mime} read {counting.BytesRead} bytes (seekable={seekable})");
        }
    }

    [Fact]
    public void Jpeg_LargeExifSegment_IsSeekedOverWhenSeekable()
    {
        var data = Concat(JpegProgressiveWithExif(1234, 567, exifPayload: 60000), new byte[TenMegabytes]);

        var seekable = new CountingStream(new MemoryStream(data, writable: false), seekable: true);
        Assert.True(ImageHeaderReader.TryRead(seekable, out var h, out var error), error);
        AssertHeader(h, ImageFormat.Jpeg, 1234, 567);
        Assert.True(seekable.BytesRead < 200, $"read {seekable.BytesRead}");

        var nonSeekable = new CountingStream(new MemoryStream(data, writable: false), seekable: false);
        Assert.True(ImageHeaderReader.TryRead(nonSeekable, out h, out error), error);
        AssertHeader(h, ImageFormat.Jpeg, 1234, 567);
        Assert.True(nonSeekable.BytesRead < 61000, $"read {nonSeekable.BytesRead}");
    }

    [Fact]
    public void Tiff_DistantIfd_IsSeekedToWhenSeekable()
    {
        var data = Concat(Tiff(false, 77, 88, true, gapBeforeIfd: 5_000_000), new byte[1000]);
        var seekable = new CountingStream(new MemoryStream(data, writable: false), seekable: true);
        Assert.True(ImageHeaderReader.TryRead(seekable, out var h, out var error), error);
        AssertHeader(h, ImageFormat.Tiff, 77, 88);
        Assert.True(seekable.BytesRead < 200, $"read {seekable.BytesRead}");

        var nonSeekable = new CountingStream(new MemoryStream(data, writable: false), seekable: false);
        Assert.True(ImageHeaderReader.TryRead(nonSeekable, out h, out error), error);
        AssertHeader(h, ImageFormat.Tiff, 77, 88);
    }

    [Fact]
    public void NonSeekableStream_Works()
    {
        using var stream = new NonSeekableStream(new MemoryStream(JpegProgressiveWithExif(640, 360)));
        Assert.False(stream.CanSeek);
        Assert.True(ImageHeaderReader.TryRead(stream, out var h, out var error), error);
        AssertHeader(h, ImageFormat.Jpeg, 640, 360);
        Assert.Equal("jpeg", h.MimeSubtype);
        Assert.Equal(".jpg", h.FileExtension);
    }

    [Fact]
    public void NullStream_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ImageHeaderReader.TryRead((Stream)null!, out _, out _));
    }

    [Fact]
    public void IOException_ReturnsFalse()
    {
        using var stream = new FailingStream();
        Assert.False(ImageHeaderReader.TryRead(stream, out _, out var error));
        Assert.Contains("disk on fire", error);
    }

    // ------------------------------------------------------------------ test streams

    private sealed class NonSeekableStream(Stream inner) : ReadOnlyTestStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    /// <summary>Returns at most one byte per Read call.</summary>
    private sealed class TrickleStream(Stream inner) : ReadOnlyTestStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1));
    }

    /// <summary>Counts bytes handed out by Read; optionally hides seeking.</summary>
    private sealed class CountingStream(Stream inner, bool seekable) : ReadOnlyTestStream
    {
        public long BytesRead { get; private set; }
        public override bool CanSeek => seekable;
        public override long Length => seekable ? inner.Length : throw new NotSupportedException();
        public override long Position
        {
            get => seekable ? inner.Position : throw new NotSupportedException();
            set { if (!seekable) throw new NotSupportedException(); inner.Position = value; }
        }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) =>
            seekable ? inner.Seek(offset, origin) : throw new NotSupportedException();
    }

    private sealed class FailingStream : ReadOnlyTestStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk on fire");
    }
}
