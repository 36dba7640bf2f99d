namespace Seedream.FakeApi;

/// <summary>Which provider a route stands for: the fake tells them apart by path, as a client tells them apart by host.</summary>
public enum ProviderRoute
{
    /// <summary><c>/v1</c>: the APIYI gateway (bare ids, 10 references).</summary>
    Apiyi,

    /// <summary><c>/api/v3</c>: BytePlus ModelArk (dola- ids for the new models, bare for the older, ep- endpoints).</summary>
    BytePlus,

    /// <summary><c>/volcengine/api/v3</c>: Volcengine Ark (every id with doubao-).</summary>
    Volcengine,
}

/// <summary>What one model accepts, from the contract's models table (the fake's own copy: never the module's catalog).</summary>
internal sealed record ModelProfile(
    string Family,
    IReadOnlyDictionary<string, int> Tiers,
    long MinPixels,
    long MaxPixels,
    bool AllowsPng,
    IReadOnlyList<string> PromptModes,
    bool Thinking,
    bool Sequence,
    bool Stream,
    IReadOnlyList<string> Backgrounds,
    bool TransparentNeedsAlphaReference,
    int LayerCap,
    long MaxImageBytes,
    IReadOnlyList<string> ImageFormats,
    int ApiyiReferences,
    int ArkReferences,
    bool AnswersNewFields)
{
    public int ReferenceLimit(ProviderRoute route) => route == ProviderRoute.Apiyi ? ApiyiReferences : ArkReferences;
}

/// <summary>A model id on one route, with its status there (a retired id answers 404; a retiring one is still served).</summary>
internal sealed record ModelEntry(string Id, ModelProfile Profile, string? Status, bool Listed);

/// <summary>The models the fake serves, per route, in each route's own id form (data, not branches).</summary>
internal static class ModelCatalog
{
    private const long TenMegabytes = 10L * 1024 * 1024;
    private const long ThirtyMegabytes = 30L * 1024 * 1024;
    private static readonly string[] CommonFormats = ["png", "jpeg", "webp", "bmp", "tiff", "gif"];
    private static readonly string[] ProFormats = ["png", "jpeg", "webp", "bmp", "tiff", "gif", "heic", "heif"];

    private static Dictionary<string, int> TierTable(params (string Name, int Edge)[] tiers) =>
        tiers.ToDictionary(t => t.Name, t => t.Edge, StringComparer.Ordinal);

    public static readonly ModelProfile Seedream55 = new("5.5", TierTable(("1K", 1024), ("1.5K", 1536), ("2K", 2048)), 921_600, 4_194_304,
        AllowsPng: true, PromptModes: ["standard"], Thinking: false, Sequence: false, Stream: false,
        Backgrounds: ["auto", "transparent", "opaque"], TransparentNeedsAlphaReference: false, LayerCap: 99,
        MaxImageBytes: TenMegabytes, ImageFormats: CommonFormats, ApiyiReferences: 10, ArkReferences: 10, AnswersNewFields: true);

    public static readonly ModelProfile Seedream50Pro = new("5.0-pro", TierTable(("1K", 1024), ("2K", 2048)), 921_600, 4_194_304,
        AllowsPng: true, PromptModes: ["standard", "fast"], Thinking: true, Sequence: false, Stream: false,
        Backgrounds: ["auto", "transparent", "opaque"], TransparentNeedsAlphaReference: true, LayerCap: 16,
        MaxImageBytes: ThirtyMegabytes, ImageFormats: ProFormats, ApiyiReferences: 10, ArkReferences: 10, AnswersNewFields: true);

    public static readonly ModelProfile Seedream50Flash = new("5.0-flash", TierTable(("1K", 1024), ("1.5K", 1536), ("2K", 2048)), 921_600, 4_194_304,
        AllowsPng: true, PromptModes: ["standard"], Thinking: false, Sequence: false, Stream: false,
        Backgrounds: ["transparent"], TransparentNeedsAlphaReference: false, LayerCap: 16,
        MaxImageBytes: TenMegabytes, ImageFormats: CommonFormats, ApiyiReferences: 10, ArkReferences: 10, AnswersNewFields: true);

    public static readonly ModelProfile Seedream50Lite = new("5.0-lite", TierTable(("2K", 2048), ("3K", 3072)), 3_686_400, 10_404_496,
        AllowsPng: true, PromptModes: ["standard"], Thinking: false, Sequence: true, Stream: true,
        Backgrounds: [], TransparentNeedsAlphaReference: false, LayerCap: 0,
        MaxImageBytes: TenMegabytes, ImageFormats: CommonFormats, ApiyiReferences: 10, ArkReferences: 14, AnswersNewFields: false);

    public static readonly ModelProfile Seedream45 = new("4.5", TierTable(("2K", 2048), ("4K", 4096)), 3_686_400, 16_777_216,
        AllowsPng: false, PromptModes: ["standard"], Thinking: false, Sequence: true, Stream: true,
        Backgrounds: [], TransparentNeedsAlphaReference: false, LayerCap: 0,
        MaxImageBytes: TenMegabytes, ImageFormats: CommonFormats, ApiyiReferences: 10, ArkReferences: 14, AnswersNewFields: false);

    public static readonly ModelProfile Seedream40 = new("4.0", TierTable(("1K", 1024), ("2K", 2048), ("4K", 4096)), 921_600, 16_777_216,
        AllowsPng: false, PromptModes: ["standard", "fast"], Thinking: false, Sequence: true, Stream: true,
        Backgrounds: [], TransparentNeedsAlphaReference: false, LayerCap: 0,
        MaxImageBytes: TenMegabytes, ImageFormats: CommonFormats, ApiyiReferences: 10, ArkReferences: 14, AnswersNewFields: false);

    private const string Retiring = "Retiring";
    private const string Shutdown = "Shutdown";

    private static readonly Dictionary<ProviderRoute, ModelEntry[]> ByRoute = new()
    {
        [ProviderRoute.Apiyi] =
        [
            new("seedream-5-5-261028", Seedream55, null, true),
            new("seedream-5-0-pro-260628", Seedream50Pro, null, true),
            new("seedream-5-0-flash-260915", Seedream50Flash, null, true),
            new("seedream-5-0-260128", Seedream50Lite, null, true),
            new("seedream-5-0-lite-260128", Seedream50Lite, null, false),
            new("seedream-4-5-251128", Seedream45, null, true),
            new("seedream-4-0-250828", Seedream40, null, true),
        ],
        [ProviderRoute.BytePlus] =
        [
            new("dola-seedream-5-5-261028", Seedream55, null, true),
            new("dola-seedream-5-0-pro-260628", Seedream50Pro, null, true),
            new("dola-seedream-5-0-flash-260915", Seedream50Flash, null, true),
            new("seedream-5-0-260128", Seedream50Lite, null, true),
            new("seedream-5-0-lite-260128", Seedream50Lite, null, false),
            new("seedream-4-5-251128", Seedream45, null, true),
            new("seedream-4-0-250828", Seedream40, null, true),

            // Endpoints this fake account has created (an ep- id the account does not own is unknown, as on the real service).
            new("ep-20260101120000-abcde", Seedream45, null, false),
            new("ep-20261201090000-s55aa", Seedream55, null, false),
        ],
        [ProviderRoute.Volcengine] =
        [
            new("doubao-seedream-5-5-261028", Seedream55, null, true),
            new("doubao-seedream-5-0-pro-260628", Seedream50Pro, null, true),
            new("doubao-seedream-5-0-flash-260915", Seedream50Flash, null, true),
            new("doubao-seedream-5-0-260128", Seedream50Lite, Shutdown, true),
            new("doubao-seedream-5-0-lite-260128", Seedream50Lite, Shutdown, false),
            new("doubao-seedream-4-5-251128", Seedream45, Retiring, true),
            new("doubao-seedream-4-0-250828", Seedream40, Retiring, true),
        ],
    };

    /// <summary>What GET /models lists besides the Seedream image models (the listing is not limited to them).</summary>
    private static readonly Dictionary<ProviderRoute, (string Id, string? Status, string Task)[]> OtherListed = new()
    {
        [ProviderRoute.Apiyi] = [],
        [ProviderRoute.BytePlus] = [("seedance-1-0-pro-250528", null, "VideoGeneration"), ("seedream-3-0-t2i-250415", Shutdown, "TextToImage")],
        [ProviderRoute.Volcengine] = [("doubao-seedance-1-0-pro-250528", null, "VideoGeneration"), ("doubao-seedream-3-0-t2i-250415", Shutdown, "TextToImage")],
    };

    public const string DefaultSize = "2K";

    /// <summary>The contract's rules for a layer decomposition's one image, the same on every model that decomposes.</summary>
    public const long LayerInputMaxBytes = ThirtyMegabytes;

    public const int LayerInputMinSide = 512;
    public static readonly string[] LayerInputFormats = CommonFormats;

    /// <summary>
    /// The layers the fake finds in any image, bottom to top: a name, a description, and the box as tenths of the base's
    /// width and eighths of its height (left, top, right, bottom). A model with a lower cap answers with the first ones.
    /// </summary>
    public static readonly (string Name, string Description, int Left, int Top, int Right, int Bottom)[] LayerPlan =
    [
        ("backdrop panel", "a pale panel behind the text", 1, 1, 9, 7),
        ("headline", "the headline text, white on red", 2, 1, 8, 3),
        ("logo", "the red logo in the corner", 7, 5, 9, 7),
    ];

    /// <summary>The model behind an id on a route: exact spelling only, as the real services compare ids.</summary>
    public static ModelEntry? Find(ProviderRoute route, string modelId) =>
        ByRoute[route].FirstOrDefault(e => string.Equals(e.Id, modelId, StringComparison.Ordinal));

    /// <summary>The GET /models listing of a route: id, status (null while live) and task type.</summary>
    public static IEnumerable<(string Id, string? Status, string Task)> Listing(ProviderRoute route) =>
        ByRoute[route].Where(e => e.Listed).Select(e => (e.Id, e.Status, "ImageGeneration"))
            .Concat(OtherListed[route]);
}
