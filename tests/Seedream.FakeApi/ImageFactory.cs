using System.Collections.Concurrent;

namespace Seedream.FakeApi;

/// <summary>
/// Real image bytes of a given size and format, built once per (width, height, format, padding). Like a provider's
/// images they carry EXIF, XMP, an AIGC label and a C2PA (JUMBF) box unless <see cref="ProviderMetadata"/> is turned off.
/// </summary>
internal sealed class ImageFactory
{
    private readonly ConcurrentDictionary<(int Width, int Height, ImageFormat Format, int Padding, bool Alpha), Lazy<byte[]>> _cache = new();

    /// <summary>Whether images carry the provider metadata (on, as the providers' do).</summary>
    public bool ProviderMetadata { get; init; } = true;

    /// <param name="alpha">A PNG with an alpha channel (a layer, a transparent background); ignored for JPEG.</param>
    public byte[] Get(int width, int height, ImageFormat format, int paddingBytes, bool alpha = false)
    {
        var key = (width, height, format, Math.Max(0, paddingBytes), alpha && format == ImageFormat.Png);
        var lazy = _cache.GetOrAdd(key, k => new Lazy<byte[]>(
            () => k.Format == ImageFormat.Png
                ? PngEncoder.Encode(k.Width, k.Height, k.Padding, ProviderMetadata, k.Alpha)
                : JpegEncoder.Encode(k.Width, k.Height, k.Padding, ProviderMetadata),
            LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    public static string ContentType(ImageFormat format) => format == ImageFormat.Png ? "image/png" : "image/jpeg";

    public static string Extension(ImageFormat format) => format == ImageFormat.Png ? "png" : "jpg";
}
