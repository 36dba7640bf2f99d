namespace Seedream.FakeApi;

internal enum ImageFormat { Jpeg, Png }

/// <summary>A generation request that passed validation.</summary>
internal sealed record GenerationRequest(
    string Model,
    ModelProfile Profile,
    int ReferenceCount,
    bool Sequential,
    int? MaxImages,
    int Width,
    int Height,
    bool Base64Response,
    ImageFormat Format,
    bool Stream,
    string? Background = null,
    bool LayerDecomposition = false)
{
    public const int MaxTotalImages = 15;

    /// <summary>Images to produce: one, or for <c>auto</c> min(max_images, 15 - references).</summary>
    public int ImageCount => Sequential
        ? Math.Max(1, Math.Min(MaxImages ?? MaxTotalImages, MaxTotalImages - ReferenceCount))
        : 1;

    public string SizeText => $"{Width}x{Height}";
}
