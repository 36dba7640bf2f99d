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

    /// <summary>Images to produce: one, or for <c>auto</c> min(max_images, 15 - references); a decomposition's base and layers.</summary>
    public int ImageCount => LayerDecomposition ? 1 + LayerCount : Sequential
        ? Math.Max(1, Math.Min(MaxImages ?? MaxTotalImages, MaxTotalImages - ReferenceCount))
        : 1;

    /// <summary>The layers of a decomposition's answer (the fake's plan, within the model's cap).</summary>
    public int LayerCount => LayerDecomposition ? Math.Min(ModelCatalog.LayerPlan.Length, Profile.LayerCap) : 0;

    public string SizeText => $"{Width}x{Height}";
}
