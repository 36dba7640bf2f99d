using System.Buffers.Binary;
using System.Text;

namespace Seedream.FakeApi;

/// <summary>
/// The metadata a provider puts into its images, as the fake's images carry it: an EXIF block (Make, Software and an
/// AIGC label in ImageDescription), the provider's own XMP packet with the label, and a C2PA manifest store (JUMBF).
/// JPEG: APP1 Exif, APP1 XMP, APP11 JUMBF; PNG: eXIf, iTXt XML:com.adobe.xmp, tEXt AIGC, caBX. The content is
/// plausible rather than signed: tests check that saving keeps every byte of it.
/// </summary>
public static class ProviderMetadata
{
    public const string Make = "ByteDance";
    public const string Software = "Seedream fake API";
    public const string AigcLabel = "{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"seedream-fake\",\"ProduceID\":\"fake-0001\"}}";
    private const string ProviderXmpNamespace = "http://www.tc260.org.cn/ns/AIGC/1.0/";

    /// <summary>A little-endian TIFF structure with IFD0 holding ImageDescription, Make and Software (what APP1 Exif and eXIf carry).</summary>
    public static byte[] Exif()
    {
        (ushort Tag, string Value)[] entries = [(0x010E, AigcLabel), (0x010F, Make), (0x0131, Software)];
        const int ifdOffset = 8;
        var ifdLength = 2 + entries.Length * 12 + 4;
        using var tiff = new MemoryStream();
        var values = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        tiff.Write("II"u8);
        BinaryPrimitives.WriteUInt16LittleEndian(word, 42);
        tiff.Write(word[..2]);
        BinaryPrimitives.WriteUInt32LittleEndian(word, ifdOffset);
        tiff.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)entries.Length);
        tiff.Write(word[..2]);
        foreach (var (tag, value) in entries)
        {
            var ascii = Encoding.ASCII.GetBytes(value + "\0");
            BinaryPrimitives.WriteUInt16LittleEndian(word, tag);
            tiff.Write(word[..2]);
            BinaryPrimitives.WriteUInt16LittleEndian(word, 2); // ASCII
            tiff.Write(word[..2]);
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)ascii.Length);
            tiff.Write(word);
            if (ascii.Length <= 4)
            {
                var inline = new byte[4];
                ascii.CopyTo(inline, 0);
                tiff.Write(inline);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)(ifdOffset + ifdLength + values.Length));
                tiff.Write(word);
                values.Write(ascii);
                if (values.Length % 2 == 1) values.WriteByte(0);
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(word, 0); // no IFD1
        tiff.Write(word);
        values.Position = 0;
        values.CopyTo(tiff);
        return tiff.ToArray();
    }

    /// <summary>The provider's own XMP packet (not the module's record: another namespace).</summary>
    public static byte[] Xmp() => Encoding.UTF8.GetBytes(
        "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>" +
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
        $"<rdf:Description rdf:about=\"\" xmlns:TC260=\"{ProviderXmpNamespace}\"><TC260:AIGC>{AigcLabel.Replace("\"", "&quot;")}</TC260:AIGC></rdf:Description>" +
        "</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>");

    /// <summary>A JUMBF superbox labelled "c2pa" (the C2PA manifest store's outer box) holding one JSON box.</summary>
    public static byte[] Jumbf()
    {
        byte[] c2paUuid = [0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        var label = Encoding.UTF8.GetBytes("c2pa\0");
        var description = Box("jumd", [.. c2paUuid, 0x03, .. label]); // toggles 3: requestable + label present
        var content = Box("json", Encoding.UTF8.GetBytes("{\"claim_generator\":\"seedream-fake/1.0\"}"));
        return Box("jumb", [.. description, .. content]);
    }

    /// <summary>APP11 payload: "JP", box instance 1, packet sequence 1, then the JUMBF box.</summary>
    public static byte[] JpegApp11() => [0x4A, 0x50, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, .. Jumbf()];

    /// <summary>APP1 payloads: the Exif block and the provider's XMP packet.</summary>
    public static byte[] JpegExif() => [.. "Exif\0\0"u8, .. Exif()];

    public static byte[] JpegXmp() => [.. "http://ns.adobe.com/xap/1.0/\0"u8, .. Xmp()];

    /// <summary>iTXt data for the provider's XMP (uncompressed, no language).</summary>
    public static byte[] PngXmp() => [.. "XML:com.adobe.xmp\0\0\0\0\0"u8, .. Xmp()];

    /// <summary>tEXt data: keyword AIGC, the label.</summary>
    public static byte[] PngAigcText() => [.. "AIGC\0"u8, .. Encoding.Latin1.GetBytes(AigcLabel)];

    private static byte[] Box(string type, byte[] payload)
    {
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        payload.CopyTo(box, 8);
        return box;
    }
}
