namespace Seedream.FakeApi;

/// <summary>What one model family accepts.</summary>
internal sealed record ModelProfile(
    string Family,
    IReadOnlyList<string> Tiers,
    long MinPixels,
    long MaxPixels,
    bool AllowsPng,
    bool AllowsFastPromptMode);

/// <summary>Known model ids and their limits (data, not branches).</summary>
internal static class ModelCatalog
{
    public static readonly ModelProfile Seedream40 = new("4.0", ["1K", "2K", "4K"], 921_600, 16_777_216, false, true);
    public static readonly ModelProfile Seedream45 = new("4.5", ["2K", "4K"], 3_686_400, 16_777_216, false, false);
    public static readonly ModelProfile Seedream50Lite = new("5.0-lite", ["2K", "3K", "4K"], 3_686_400, 10_404_496, true, false);

    private static readonly Dictionary<string, ModelProfile> ById = new(StringComparer.Ordinal)
    {
        ["seedream-5-0-260128"] = Seedream50Lite,
        ["seedream-5-0-lite-260128"] = Seedream50Lite,
        ["seedream-4-5-251128"] = Seedream45,
        ["seedream-4-0-250828"] = Seedream40,
    };

    /// <summary>Pixel edge of each size tier (square).</summary>
    public static readonly IReadOnlyDictionary<string, int> TierEdge = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["1K"] = 1024,
        ["2K"] = 2048,
        ["3K"] = 3072,
        ["4K"] = 4096,
    };

    public const string DefaultSize = "2K";

    public static ModelProfile? Find(string modelId)
    {
        if (modelId.StartsWith("ep-", StringComparison.Ordinal) && modelId.Length > 3) return Seedream45;
        var id = modelId.StartsWith("doubao-", StringComparison.Ordinal) ? modelId["doubao-".Length..] : modelId;
        return ById.GetValueOrDefault(id);
    }
}
