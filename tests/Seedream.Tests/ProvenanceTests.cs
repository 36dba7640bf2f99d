using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Seedream.Api;
using Seedream.FakeApi;
using Seedream.Imaging;

namespace Seedream.Tests;

/// <summary>
/// Embedding and reading provenance on real images: the fake API's encoders make decodable PNGs and baseline JPEGs that
/// carry what providers put in (EXIF, XMP, an AIGC label, C2PA/JUMBF in APP11 or caBX). Every one of those bytes must
/// survive, and the result must still parse as a valid image (a structural decode: every PNG CRC, the whole inflated
/// pixel stream, every JPEG segment up to the scan and the scan up to EOI).
/// </summary>
public sealed class ProvenanceTests
{
    private static ProvenanceRecord Sample(params SeedreamReference[] references) => new()
    {
        ModuleVersion = "9.8.7",
        Request = new SeedreamRequest
        {
            Model = "seedream-5-0-260128",
            ModelFamily = "5.0-lite",
            Provider = "APIYI",
            Prompt = "a <b>bold</b> \"storyboard\" & more: 猫 🐱",
            Mode = GenerationMode.Sequence,
            Size = "2K",
            OutputFormat = "png",
            ResponseFormat = ResponseFormats.Base64Json,
            Watermark = true,
            MaxImages = 4,
            Stream = true,
            OptimizePromptMode = "standard",
            AdditionalBody = "{\"seed\":42}",
            EstimatedCostPerImage = 0.035m,
            References = references,
        },
        Index = 2,
        RequestId = "req-123",
        Created = new DateTimeOffset(2026, 12, 2, 10, 11, 12, TimeSpan.Zero),
        Width = 2048,
        Height = 1536,
        ZIndex = 1,
        BoundingBox = "120,80,732,490",
        LayerName = "logo",
        LayerDescription = "the red <logo>",
    };

    private static readonly SeedreamReference[] References =
    [
        new() { Kind = SeedreamReferenceKind.Url, Url = "https://img.example/a.png?sig=1&x=2" },
        new() { Kind = SeedreamReferenceKind.File, Name = "person.png", Sha256 = new string('a', 64), Format = "png" },
        new() { Kind = SeedreamReferenceKind.Result, Name = "inline 0", Sha256 = new string('b', 64), Format = "jpeg" },
    ];

    [Fact]
    public void Jpeg_WithExifXmpAndApp11_KeepsEverySegmentByteForByte_AndGainsOneXmpSegmentAfterTheLeadingApp0App1()
    {
        byte[] original = JpegEncoder.Encode(64, 48, providerMetadata: true);
        byte[] embedded = EmbedInMemory(original, Sample(References));

        List<Segment> before = JpegSegments(original);
        List<Segment> after = JpegSegments(embedded);
        Assert.Equal(before.Count + 1, after.Count);
        int inserted = after.FindIndex(s => s.Marker == 0xE1 && IsOurXmp(s.Payload));
        Assert.True(inserted > 0);
        Assert.Equal([0xE0, 0xE1, 0xE1], after.Take(inserted).Select(s => s.Marker)); // JFIF, Exif, the provider's XMP
        Assert.Equal(0xEB, after[inserted + 1].Marker); // APP11 JUMBF follows, untouched
        after.RemoveAt(inserted);
        Assert.Equal(before.Select(s => Convert.ToHexString(s.Bytes)), after.Select(s => Convert.ToHexString(s.Bytes)));
        Assert.Equal(original.AsSpan(ScanStart(original)).ToArray(), embedded.AsSpan(ScanStart(embedded)).ToArray());
        CheckJpeg(embedded, 64, 48);
    }

    [Fact]
    public void Jpeg_WithoutApp0_GetsTheRecordRightAfterSoi()
    {
        byte[] plain = JpegEncoder.Encode(16, 16);
        byte[] noJfif = [.. plain[..2], .. plain[(2 + 2 + 16)..]]; // drop the APP0 segment (2 + 14 payload + 2 length bytes)
        Assert.Equal(0xDB, noJfif[3]);
        byte[] embedded = EmbedInMemory(noJfif, Sample());
        Assert.Equal(0xE1, embedded[3]);
        Assert.Equal(noJfif[2..], embedded[(2 + 2 + BinaryPrimitives.ReadUInt16BigEndian(embedded.AsSpan(4)))..]);
        CheckJpeg(embedded, 16, 16);
    }

    [Fact]
    public void Png_WithTextExifXmpAndCabx_KeepsEveryChunkByteForByte_AndGainsOneITxtJustBeforeIdat()
    {
        byte[] original = PngEncoder.Encode(40, 30, providerMetadata: true);
        byte[] embedded = EmbedInMemory(original, Sample(References));

        List<Chunk> before = PngChunks(original);
        List<Chunk> after = PngChunks(embedded);
        Assert.Equal(before.Count + 1, after.Count);
        int inserted = after.FindIndex(c => c.Type == "iTXt" && Encoding.UTF8.GetString(c.Data).Contains(ProvenanceRecord.Namespace));
        Assert.Equal("IDAT", after[inserted + 1].Type);
        Assert.Equal(before.FindIndex(c => c.Type == "IDAT"), inserted);
        Assert.Contains(before, c => c.Type == "eXIf");
        Assert.Contains(before, c => c.Type == "tEXt");
        after.RemoveAt(inserted);
        Assert.Equal(before.Select(c => Convert.ToHexString(c.Bytes)), after.Select(c => Convert.ToHexString(c.Bytes)));
        CheckPng(embedded, 40, 30);
    }

    [Fact]
    public void Png_ITxt_FollowsThePngSpecification()
    {
        byte[] embedded = EmbedInMemory(PngEncoder.Encode(8, 8), Sample());
        Chunk chunk = PngChunks(embedded).Single(c => c.Type == "iTXt");
        byte[] keyword = Encoding.Latin1.GetBytes("XML:com.adobe.xmp");
        Assert.Equal(keyword, chunk.Data[..keyword.Length]);
        Assert.Equal([0, 0, 0, 0, 0], chunk.Data[keyword.Length..(keyword.Length + 5)]); // NUL, uncompressed, method 0, no language, no translation
        string text = Encoding.UTF8.GetString(chunk.Data, keyword.Length + 5, chunk.Data.Length - keyword.Length - 5);
        Assert.StartsWith("<?xpacket begin=\"\uFEFF\"", text);
        Assert.EndsWith("<?xpacket end=\"w\"?>", text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsBackEveryField_FromBothFormats(bool png)
    {
        ProvenanceRecord written = Sample(References);
        byte[] image = png ? PngEncoder.Encode(12, 12, providerMetadata: true) : JpegEncoder.Encode(12, 12, providerMetadata: true);
        ProvenanceRecord read = Assert.IsType<ProvenanceRecord>(ProvenanceReader.Read(new MemoryStream(EmbedInMemory(image, written))));
        AssertSame(written, read);
    }

    [Fact]
    public void ReadsNothing_FromImagesWithoutARecord_EvenWithAnotherToolsXmp()
    {
        Assert.Null(ProvenanceReader.Read(new MemoryStream(PngEncoder.Encode(12, 12, providerMetadata: true))));
        Assert.Null(ProvenanceReader.Read(new MemoryStream(JpegEncoder.Encode(12, 12, providerMetadata: true))));
        Assert.Null(ProvenanceReader.Read(new MemoryStream("GIF89a"u8.ToArray())));
    }

    [Fact]
    public void ReadsACompressedITxtAndTheAttributeFormOfXmp()
    {
        string xmp = $"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
                     $"<rdf:Description rdf:about=\"\" xmlns:seedream=\"{ProvenanceRecord.Namespace}\" seedream:Prompt=\"rewritten by a tool\" seedream:Index=\"3\">" +
                     "<seedream:References><rdf:Seq><rdf:li><rdf:Description seedream:Kind=\"Url\" seedream:Url=\"https://x.example/r.png\"/></rdf:li></rdf:Seq></seedream:References>" +
                     "</rdf:Description></rdf:RDF></x:xmpmeta>";
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(Encoding.UTF8.GetBytes(xmp));
        byte[] data = [.. "XML:com.adobe.xmp\0"u8, 1, 0, 0, 0, .. deflated.ToArray()];
        byte[] png = InsertPngChunkAfterIhdr(PngEncoder.Encode(8, 8), "iTXt", data);

        ProvenanceRecord record = Assert.IsType<ProvenanceRecord>(ProvenanceReader.Read(new MemoryStream(png)));
        Assert.Equal("rewritten by a tool", record.Request.Prompt);
        Assert.Equal(3, record.Index);
        Assert.Equal("https://x.example/r.png", Assert.Single(record.Request.References).Url);
    }

    [Fact]
    public void RefusesDoctypes_SoNoEntityIsExpanded()
    {
        string xmp = $"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
                     $"<rdf:Description xmlns:seedream=\"{ProvenanceRecord.Namespace}\"><seedream:Prompt>&e;</seedream:Prompt></rdf:Description></rdf:RDF></x:xmpmeta>";
        byte[] bytes = Encoding.UTF8.GetBytes(xmp);
        Assert.Null(ProvenanceXmp.TryRead(bytes, 0, bytes.Length));
    }

    [Fact]
    public void ControlCharactersInAPrompt_BecomeReplacementCharacters_AndTheRestSurvives()
    {
        ProvenanceRecord record = Sample();
        record.Request.Prompt = "line\u0001one\ttab \ud83d\ude00 lone \ud800 end";
        byte[] packet = ProvenanceXmp.Write(record);
        ProvenanceRecord read = Assert.IsType<ProvenanceRecord>(ProvenanceXmp.TryRead(packet, 0, packet.Length));
        Assert.Equal("line\ufffdone\ttab \ud83d\ude00 lone \ufffd end", read.Request.Prompt);
    }

    [Fact]
    public void Sidecar_RoundTripsEveryField_AndNamesItsSchema()
    {
        ProvenanceRecord written = Sample(References);
        byte[] json = ProvenanceJson.Write(written);
        Assert.Contains($"\"Schema\": \"{ProvenanceRecord.Namespace}\"", Encoding.UTF8.GetString(json));
        AssertSame(written, Assert.IsType<ProvenanceRecord>(ProvenanceJson.TryRead(json)));
        Assert.Null(ProvenanceJson.TryRead("{\"Schema\":\"something else\"}"u8.ToArray()));
        Assert.Null(ProvenanceJson.TryRead("not json"u8.ToArray()));
    }

    [Fact]
    public void UnsentFields_StayAbsent()
    {
        var record = new ProvenanceRecord { Request = new SeedreamRequest { Model = "m", Prompt = "p" } };
        string xmp = Encoding.UTF8.GetString(ProvenanceXmp.Write(record));
        Assert.DoesNotContain("seedream:Size", xmp);
        Assert.DoesNotContain("seedream:MaxImages", xmp);
        Assert.DoesNotContain("seedream:References", xmp);
        byte[] packet = ProvenanceXmp.Write(record);
        ProvenanceRecord read = ProvenanceXmp.TryRead(packet, 0, packet.Length)!;
        Assert.Null(read.Request.Size);
        Assert.Null(read.Request.MaxImages);
        Assert.Null(read.Request.OutputFormat);
    }

    [Fact]
    public void TooLargeForJpeg_IsRefused_AndThePngTakesIt()
    {
        ProvenanceRecord record = Sample();
        record.Request.Prompt = new string('x', 70_000);
        Assert.Throws<InvalidDataException>(() => EmbedInMemory(JpegEncoder.Encode(8, 8), record));
        byte[] png = EmbedInMemory(PngEncoder.Encode(8, 8), record);
        Assert.Equal(70_000, ProvenanceReader.Read(new MemoryStream(png))!.Request.Prompt.Length);
    }

    [Theory]
    [InlineData("not an image at all")]
    [InlineData("GIF89a....")]
    public void NotPngOrJpeg_IsRefused(string content) =>
        Assert.Throws<InvalidDataException>(() => EmbedInMemory(Encoding.ASCII.GetBytes(content), Sample()));

    [Fact]
    public void CutShortImages_AreRefused()
    {
        byte[] png = PngEncoder.Encode(8, 8);
        byte[] jpeg = JpegEncoder.Encode(8, 8);
        Assert.Throws<InvalidDataException>(() => EmbedInMemory(png[..30], Sample()));
        Assert.Throws<InvalidDataException>(() => EmbedInMemory(jpeg[..10], Sample()));
    }

    [Fact]
    public void Embedding_ReadsTheSourceInSmallPieces_NeverWhole()
    {
        byte[] original = PngEncoder.Encode(600, 600, paddingBytes: 3 * 1024 * 1024);
        var source = new LargestReadStream(original);
        using var destination = new MemoryStream();
        ProvenanceEmbedder.Embed(source, destination, Sample());
        Assert.InRange(source.LargestRead, 1, 81920);
        CheckPng(destination.ToArray(), 600, 600);
    }

    [Fact]
    public void EmbeddingAFile_ReplacesItOnlyWhenComplete()
    {
        string folder = Directory.CreateTempSubdirectory("seedream-provenance-").FullName;
        try
        {
            string good = Path.Combine(folder, "a.jpg");
            File.WriteAllBytes(good, JpegEncoder.Encode(20, 20, providerMetadata: true));
            ProvenanceFile.Embed(good, Sample());
            Assert.Equal("req-123", ProvenanceFile.Read(good, out ProvenanceSource source)!.RequestId);
            Assert.Equal(ProvenanceSource.Embedded, source);

            string bad = Path.Combine(folder, "b.png");
            byte[] cut = PngEncoder.Encode(20, 20)[..40];
            File.WriteAllBytes(bad, cut);
            Assert.Throws<InvalidDataException>(() => ProvenanceFile.Embed(bad, Sample()));
            Assert.Equal(cut, File.ReadAllBytes(bad));
            Assert.Equal(["a.jpg", "b.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());

            ProvenanceFile.WriteSidecar(bad, Sample(), overwrite: false);
            Assert.Throws<IOException>(() => ProvenanceFile.WriteSidecar(bad, Sample(), overwrite: false));
            Assert.Equal(ProvenanceSource.Sidecar, ProvenanceFile.Read(bad, out source) is null ? (ProvenanceSource?)null : source);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertSame(ProvenanceRecord expected, ProvenanceRecord actual)
    {
        foreach (ProvenanceField field in ProvenanceRecord.Fields)
        {
            Assert.True(field.Format(expected) == field.Format(actual), $"{field.Name}: '{field.Format(expected)}' became '{field.Format(actual)}'");
        }

        Assert.Equal(expected.Request.References.Length, actual.Request.References.Length);
        for (int i = 0; i < expected.Request.References.Length; i++)
        {
            foreach (ReferenceField field in ProvenanceRecord.ReferenceFields)
            {
                Assert.Equal(field.Get(expected.Request.References[i]), field.Get(actual.Request.References[i]));
            }
        }
    }

    private static byte[] EmbedInMemory(byte[] image, ProvenanceRecord record)
    {
        using var destination = new MemoryStream();
        ProvenanceEmbedder.Embed(new MemoryStream(image), destination, record);
        return destination.ToArray();
    }

    private static bool IsOurXmp(byte[] payload) =>
        Encoding.UTF8.GetString(payload).StartsWith("http://ns.adobe.com/xap/1.0/\0", StringComparison.Ordinal)
        && Encoding.UTF8.GetString(payload).Contains(ProvenanceRecord.Namespace);

    private sealed record Segment(byte Marker, byte[] Payload, byte[] Bytes);

    private sealed record Chunk(string Type, byte[] Data, byte[] Bytes);

    /// <summary>The segments from SOI to SOS (SOS included, without its scan).</summary>
    private static List<Segment> JpegSegments(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var segments = new List<Segment>();
        int i = 2;
        while (true)
        {
            Assert.Equal(0xFF, jpeg[i]);
            byte marker = jpeg[i + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            segments.Add(new Segment(marker, jpeg[(i + 4)..(i + 2 + length)], jpeg[i..(i + 2 + length)]));
            i += 2 + length;
            if (marker == 0xDA) return segments;
        }
    }

    private static int ScanStart(byte[] jpeg) => JpegSegments(jpeg).Sum(s => s.Bytes.Length) + 2;

    /// <summary>
    /// A structural decode of a baseline JPEG: segments well formed up to SOS, one SOF0 with the expected size, the quantisation
    /// and Huffman tables the frame uses, and an entropy-coded scan whose only markers are stuffed bytes or restarts, ending at EOI.
    /// </summary>
    private static void CheckJpeg(byte[] jpeg, int width, int height)
    {
        List<Segment> segments = JpegSegments(jpeg);
        Segment frame = Assert.Single(segments, s => s.Marker == 0xC0);
        Assert.Equal(height, BinaryPrimitives.ReadUInt16BigEndian(frame.Payload.AsSpan(1)));
        Assert.Equal(width, BinaryPrimitives.ReadUInt16BigEndian(frame.Payload.AsSpan(3)));
        Assert.Contains(segments, s => s.Marker == 0xDB);
        Assert.Equal(2, segments.Count(s => s.Marker == 0xC4));
        int scan = ScanStart(jpeg);
        for (int i = scan; i < jpeg.Length - 2; i++)
        {
            if (jpeg[i] == 0xFF) Assert.True(jpeg[i + 1] == 0x00 || (jpeg[i + 1] >= 0xD0 && jpeg[i + 1] <= 0xD7), $"marker 0x{jpeg[i + 1]:X2} inside the scan at {i}");
        }

        Assert.Equal([0xFF, 0xD9], jpeg[^2..]);
    }

    private static List<Chunk> PngChunks(byte[] png)
    {
        Assert.Equal(ProvenanceEmbedder.PngSignature, png[..8]);
        var chunks = new List<Chunk>();
        int i = 8;
        while (i < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            chunks.Add(new Chunk(Encoding.ASCII.GetString(png, i + 4, 4), png[(i + 8)..(i + 8 + length)], png[i..(i + 12 + length)]));
            i += 12 + length;
        }

        return chunks;
    }

    /// <summary>A structural decode of a PNG: every chunk's CRC (an independent CRC-32), IHDR first, IEND last, and the IDAT stream inflating to exactly the rows IHDR promises.</summary>
    private static void CheckPng(byte[] png, int width, int height)
    {
        List<Chunk> chunks = PngChunks(png);
        foreach (Chunk chunk in chunks)
        {
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(chunk.Bytes.AsSpan(chunk.Bytes.Length - 4));
            Assert.Equal(stored, BitwiseCrc(chunk.Bytes.AsSpan(4, 4 + chunk.Data.Length)));
        }

        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)));
        using var idat = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflater.CopyTo(pixels);
        Assert.Equal((long)height * (1 + 3 * width), pixels.Length);
    }

    private static byte[] InsertPngChunkAfterIhdr(byte[] png, string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), BitwiseCrc(chunk.AsSpan(4, 4 + data.Length)));
        const int afterIhdr = 8 + 12 + 13;
        return [.. png[..afterIhdr], .. chunk, .. png[afterIhdr..]];
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }

        return ~crc;
    }

    /// <summary>Records the largest single read asked of it.</summary>
    private sealed class LargestReadStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public int LargestRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            return base.Read(buffer, offset, count);
        }
    }
}
