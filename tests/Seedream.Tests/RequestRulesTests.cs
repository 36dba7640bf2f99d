using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>Each rule checked before a request: a case it refuses (naming the field and the rule) and the edge it allows.</summary>
public class RequestRulesTests
{
    private static RequestShape Shape(
        string? family = "5.0-lite",
        string prompt = "a red fox",
        string? size = null,
        int? maxImages = null,
        string? outputFormat = null,
        int references = 0,
        bool stream = false,
        string? mode = null,
        string provider = "APIYI",
        SeedreamModel? model = null,
        string? modelId = null)
    {
        SeedreamModel? resolved = model ?? (family is null ? null : ModelCatalog.FindModel(family));
        return new RequestShape
        {
            Prompt = prompt,
            Model = resolved,
            ModelId = modelId ?? resolved?.Id ?? "seedream-9-0-990101",
            Provider = ModelCatalog.FindProvider(provider)!,
            Size = size,
            MaxImages = maxImages,
            OutputFormat = outputFormat,
            ReferenceCount = references,
            Stream = stream,
            OptimizePromptMode = mode,
        };
    }

    /// <summary>A model the catalog does not have: no streaming, no sequences (to reach the rules no real model breaks).</summary>
    private static readonly SeedreamModel StillModel = new SeedreamModel(
        family: "still", id: "seedream-still-000001", aliases: Array.Empty<string>(),
        sizeTiers: new[] { new SizeTier("2K", 2048, 2048) }, minPixels: 1_000_000, maxPixels: 5_000_000,
        outputFormats: new[] { "jpeg" }, promptOptimizationModes: new[] { "standard" },
        supportsStreaming: false, supportsSequence: false, pricePerImage: 0.01m,
        recommendedSizes: new[] { "2048x2048" });

    private static RuleViolation Single(RequestShape shape, RequestField field)
    {
        IReadOnlyList<RuleViolation> violations = RequestRules.Check(shape);
        RuleViolation violation = Assert.Single(violations);
        Assert.Equal(field, violation.Field);
        return violation;
    }

    private static void Allowed(RequestShape shape) => Assert.Empty(RequestRules.Check(shape));

    [Fact]
    public void A_plain_request_with_defaults_is_allowed()
    {
        Allowed(Shape());
        Allowed(Shape(family: null));
    }

    // ------------------------------------------------------------------ prompt

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void An_empty_prompt_is_refused(string prompt)
    {
        Assert.Contains("prompt must not be empty", Single(Shape(prompt: prompt), RequestField.Prompt).Message);
        Single(Shape(family: null, prompt: prompt), RequestField.Prompt);
    }

    [Fact]
    public void A_one_character_prompt_is_allowed() => Allowed(Shape(prompt: "x"));

    // ------------------------------------------------------------------ MaxImages

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(16)]
    [InlineData(int.MaxValue)]
    public void MaxImages_outside_1_to_15_is_refused(int maxImages)
    {
        string message = Single(Shape(maxImages: maxImages), RequestField.MaxImages).Message;
        Assert.Contains($"between 1 and 15; {maxImages} was given", message);
        Single(Shape(family: null, maxImages: maxImages), RequestField.MaxImages);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    public void MaxImages_1_and_15_are_allowed(int maxImages) => Allowed(Shape(maxImages: maxImages));

    [Fact]
    public void MaxImages_on_a_model_without_sequences_is_refused()
    {
        Assert.Contains("does not generate image sequences; leave out -MaxImages",
            Single(Shape(model: StillModel, maxImages: 2), RequestField.MaxImages).Message);
        Allowed(Shape(model: StillModel));
    }

    // ------------------------------------------------------------------ references

    [Theory]
    [InlineData("APIYI", 10)]
    [InlineData("BytePlus", 14)]
    [InlineData("Volcengine", 14)]
    public void References_over_the_provider_limit_are_refused_and_the_limit_is_allowed(string provider, int limit)
    {
        string message = Single(Shape(provider: provider, references: limit + 1), RequestField.Image).Message;
        Assert.Equal($"{provider} accepts at most {limit} reference images; {limit + 1} were given.", message);
        Allowed(Shape(provider: provider, references: limit));
        Single(Shape(family: null, provider: provider, references: limit + 1), RequestField.Image);
    }

    [Theory]
    [InlineData("APIYI", 5, 11)]
    [InlineData("APIYI", 10, 6)]
    [InlineData("BytePlus", 14, 2)]
    [InlineData("Volcengine", 1, 15)]
    public void References_plus_MaxImages_over_15_are_refused(string provider, int references, int maxImages)
    {
        string message = Single(Shape(provider: provider, references: references, maxImages: maxImages), RequestField.MaxImages).Message;
        Assert.Contains($"reference images plus MaxImages must be at most 15; {references} references + {maxImages} images = {references + maxImages}", message);
        Assert.Contains($"Use at most {15 - references} images with {references} references", message);
    }

    [Theory]
    [InlineData("APIYI", 5, 10)]
    [InlineData("APIYI", 10, 5)]
    [InlineData("APIYI", 1, 14)]
    [InlineData("BytePlus", 14, 1)]
    [InlineData("Volcengine", 14, 1)]
    [InlineData("BytePlus", 14, null)]
    public void References_plus_MaxImages_of_15_are_allowed(string provider, int references, int? maxImages) =>
        Allowed(Shape(provider: provider, references: references, maxImages: maxImages));

    // ------------------------------------------------------------------ size: tiers

    [Theory]
    [InlineData("4.5", "1K", "2K, 4K")]
    [InlineData("4.5", "3K", "2K, 4K")]
    [InlineData("5.0-lite", "1K", "2K, 3K")]
    [InlineData("5.0-lite", "4K", "2K, 3K")]
    [InlineData("4.0", "3K", "1K, 2K, 4K")]
    [InlineData("4.0", "8K", "1K, 2K, 4K")]
    [InlineData("4.0", "big", "1K, 2K, 4K")]
    [InlineData("4.0", "2048*2048", "1K, 2K, 4K")]
    public void A_tier_the_model_lacks_is_refused_with_what_it_offers(string family, string size, string offered)
    {
        string message = Single(Shape(family: family, size: size), RequestField.Size).Message;
        Assert.Contains($"'{size}' is not a tier of model {ModelCatalog.FindModel(family)!.Id} ({family}); it offers {offered}, or WIDTHxHEIGHT", message);
    }

    [Theory]
    [InlineData("4.0", "1K")]
    [InlineData("4.0", "2K")]
    [InlineData("4.0", "4K")]
    [InlineData("4.5", "2K")]
    [InlineData("4.5", "4k")]
    [InlineData("5.0-lite", "2K")]
    [InlineData("5.0-lite", "3K")]
    public void A_tier_the_model_has_is_allowed(string family, string size) => Allowed(Shape(family: family, size: size));

    // ------------------------------------------------------------------ size: pixels

    [Theory]
    [InlineData("4.0", "1280x719", "921,600 to 16,777,216")]
    [InlineData("4.0", "4096x4097", "921,600 to 16,777,216")]
    [InlineData("4.5", "2560x1439", "3,686,400 to 16,777,216")]
    [InlineData("4.5", "4097x4096", "3,686,400 to 16,777,216")]
    [InlineData("5.0-lite", "1440x2559", "3,686,400 to 10,404,496")]
    [InlineData("5.0-lite", "3226x3226", "3,686,400 to 10,404,496")]
    [InlineData("5.0-lite", "4096x4096", "3,686,400 to 10,404,496")]
    public void WxH_outside_the_model_pixel_range_is_refused(string family, string size, string range)
    {
        string message = Single(Shape(family: family, size: size), RequestField.Size).Message;
        Assert.Contains($"{size} is ", message);
        Assert.Contains($"takes {range} pixels", message);
        Assert.Contains("for example", message);
    }

    [Theory]
    [InlineData("4.0", "1280x720")]
    [InlineData("4.0", "720x1280")]
    [InlineData("4.0", "4096x4096")]
    [InlineData("4.5", "2560x1440")]
    [InlineData("4.5", "4096x4096")]
    [InlineData("5.0-lite", "1440x2560")]
    [InlineData("5.0-lite", "4245x2451")]
    [InlineData("4.5", "2048X2048")]
    [InlineData("4.5", " 2048x2048 ")]
    public void WxH_at_the_model_pixel_edges_is_allowed(string family, string size) => Allowed(Shape(family: family, size: size));

    // ------------------------------------------------------------------ size: aspect

    [Theory]
    [InlineData("4.0", "4112x256")]
    [InlineData("4.0", "256x4112")]
    [InlineData("4.0", "4097x256")]
    [InlineData(null, "4097x256")]
    [InlineData(null, "16001x1000")]
    public void WxH_outside_aspect_1_16_to_16_is_refused(string? family, string size)
    {
        Assert.Contains("width / height must be between 1/16 and 16", Single(Shape(family: family, size: size), RequestField.Size).Message);
    }

    [Theory]
    [InlineData("4.0", "4096x256")]
    [InlineData("4.0", "256x4096")]
    [InlineData(null, "16000x1000")]
    [InlineData(null, "1000x16000")]
    public void WxH_with_aspect_exactly_16_or_1_16_is_allowed(string? family, string size) => Allowed(Shape(family: family, size: size));

    [Theory]
    [InlineData(16, 1, true)]
    [InlineData(1, 16, true)]
    [InlineData(17, 1, false)]
    [InlineData(1, 17, false)]
    [InlineData(16_000_001, 1_000_000, false)]
    [InlineData(1, 1, true)]
    public void IsAspectAllowed_is_exact_at_the_edges(long width, long height, bool expected) =>
        Assert.Equal(expected, RequestRules.IsAspectAllowed(width, height));

    // ------------------------------------------------------------------ size: models the catalog does not know

    [Theory]
    [InlineData("1K")]
    [InlineData("8K")]
    [InlineData("100x100")]
    [InlineData("8000x8000")]
    public void An_unknown_model_gets_only_the_common_size_rules(string size) => Allowed(Shape(family: null, size: size));

    [Theory]
    [InlineData("big")]
    [InlineData("K")]
    [InlineData("abcK")]
    [InlineData("2048*2048")]
    [InlineData("0x100")]
    public void An_unknown_model_still_needs_a_tier_or_WxH(string size)
    {
        Assert.Contains("is neither a tier (such as 2K) nor WIDTHxHEIGHT", Single(Shape(family: null, size: size), RequestField.Size).Message);
    }

    [Theory]
    [InlineData("2048x2048", 2048, 2048)]
    [InlineData("2048X1024", 2048, 1024)]
    [InlineData(" 1x2 ", 1, 2)]
    public void ParseDimensions_reads_WxH(string text, int width, int height) =>
        Assert.Equal((width, height), RequestRules.ParseDimensions(text));

    [Theory]
    [InlineData("2048*2048")]
    [InlineData("2048x")]
    [InlineData("x2048")]
    [InlineData("0x10")]
    [InlineData("-1x10")]
    [InlineData("+5x10")]
    [InlineData("2048 x 2048")]
    [InlineData("2K")]
    [InlineData("1x2x3")]
    public void ParseDimensions_refuses_anything_else(string text) => Assert.Null(RequestRules.ParseDimensions(text));

    // ------------------------------------------------------------------ output format

    [Theory]
    [InlineData("4.5")]
    [InlineData("4.0")]
    public void Png_is_refused_on_models_without_it(string family)
    {
        string message = Single(Shape(family: family, outputFormat: "png"), RequestField.OutputFormat).Message;
        Assert.Contains("cannot write png; it writes jpeg. Png needs 5.0-lite.", message);
    }

    [Theory]
    [InlineData("5.0-lite", "png")]
    [InlineData("5.0-lite", "jpeg")]
    [InlineData("4.5", "jpeg")]
    [InlineData("4.0", "jpeg")]
    [InlineData(null, "png")]
    public void Formats_the_model_writes_are_allowed(string? family, string format) => Allowed(Shape(family: family, outputFormat: format));

    // ------------------------------------------------------------------ stream

    [Fact]
    public void Stream_on_a_model_without_streaming_is_refused()
    {
        Assert.Contains("does not stream its answer; leave out -Stream", Single(Shape(model: StillModel, stream: true), RequestField.Stream).Message);
    }

    [Theory]
    [InlineData("4.0")]
    [InlineData("4.5")]
    [InlineData("5.0-lite")]
    [InlineData(null)]
    public void Stream_is_allowed_on_models_that_stream(string? family) => Allowed(Shape(family: family, stream: true));

    // ------------------------------------------------------------------ prompt optimisation

    [Theory]
    [InlineData("4.5")]
    [InlineData("5.0-lite")]
    public void Fast_prompt_optimisation_is_refused_where_the_model_lacks_it(string family)
    {
        string message = Single(Shape(family: family, mode: "fast"), RequestField.OptimizePromptMode).Message;
        Assert.Contains("does not offer prompt optimisation mode 'fast'; it offers standard.", message);
    }

    [Theory]
    [InlineData("4.0", "fast")]
    [InlineData("4.0", "standard")]
    [InlineData("4.5", "standard")]
    [InlineData("5.0-lite", "Standard")]
    [InlineData(null, "fast")]
    public void Prompt_optimisation_modes_the_model_offers_are_allowed(string? family, string mode) => Allowed(Shape(family: family, mode: mode));

    // ------------------------------------------------------------------ several at once

    [Fact]
    public void Every_broken_rule_is_reported_in_a_stable_order()
    {
        IReadOnlyList<RuleViolation> violations = RequestRules.Check(
            Shape(family: "4.5", prompt: "", maxImages: 16, references: 11, size: "1K", outputFormat: "png", mode: "fast"));
        Assert.Equal(
            new[] { RequestField.Prompt, RequestField.MaxImages, RequestField.Image, RequestField.Size, RequestField.OutputFormat, RequestField.OptimizePromptMode },
            violations.Select(v => v.Field));
    }

    [Fact]
    public void Messages_name_the_model_by_id_and_family()
    {
        string message = Single(Shape(family: "4.5", size: "1K"), RequestField.Size).Message;
        Assert.Contains("seedream-4-5-251128 (4.5)", message);
    }
}
