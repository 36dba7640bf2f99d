using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>Each rule checked before a request: a case it refuses (naming the field and the rule) and the edge it allows.</summary>
public class RequestRulesTests
{
    /// <summary>
    /// Test models laid over the shipped catalog as a user's catalog would be: "still" makes neither sequences nor
    /// streams; "rich" has every optional field (thinking, background, layers) and larger, heic-capable references;
    /// "gone" is retired on Volcengine and not offered on BytePlus.
    /// </summary>
    internal static readonly SeedreamCatalog TestCatalog = ModelCatalog.Parse("""
        {
          "models": [
            { "family": "still", "basedOn": "4.5",
              "accepts": { "sequence": false, "stream": false },
              "providers": { "APIYI": { "ids": ["seedream-still-000001"], "maxReferences": 10, "price": { "perImage": 0.01 } } } },
            { "family": "rich", "basedOn": "4.0",
              "outputFormats": ["jpeg", "png"],
              "referenceImages": { "formats": ["png", "jpeg", "heic"], "maxBytes": 31457280 },
              "accepts": {
                "sequence": false, "stream": false,
                "thinking": { "modes": ["enabled", "disabled"], "withoutReferencesOnly": ["disabled"] },
                "background": { "modes": ["auto", "transparent", "opaque"],
                                "transparent": { "outputFormat": "png", "references": { "count": 1, "format": "png", "alpha": true } } },
                "layerDecomposition": { "maxLayers": 16, "minSide": 512, "maxBytes": 31457280, "sizes": ["auto"] } },
              "providers": { "APIYI": { "ids": ["seedream-rich-000001"], "maxReferences": 10, "price": { "perImage": 0.05 } } } },
            { "family": "gone", "basedOn": "4.5",
              "providers": {
                "APIYI": { "ids": ["seedream-gone-000001"], "maxReferences": 10, "price": { "perImage": 0.01 } },
                "Volcengine": { "ids": ["doubao-seedream-gone-000001"], "maxReferences": 14, "price": { "perImage": 0.01 },
                                "status": { "state": "retired", "date": "2026-11-24T14:00:00+08:00", "note": "switched off" } } } }
          ]
        }
        """, "test-catalog.json", ModelCatalog.Shipped);

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
        string? thinking = null,
        string? background = null,
        bool layers = false,
        int? maxLayers = null,
        IReadOnlyList<ReferenceFacts>? facts = null)
    {
        SeedreamProvider chosen = TestCatalog.FindProvider(provider)!;
        SeedreamModel? resolved = family is null ? null : TestCatalog.FindModel(family);
        return new RequestShape
        {
            Prompt = prompt,
            Model = resolved,
            ModelId = resolved?.OfferOn(chosen)?.Id ?? resolved?.Offers[0].Id ?? "seedream-9-0-990101",
            Provider = chosen,
            Catalog = TestCatalog,
            Size = size,
            MaxImages = maxImages,
            OutputFormat = outputFormat,
            ReferenceCount = references,
            References = facts,
            Stream = stream,
            OptimizePromptMode = mode,
            Thinking = thinking,
            Background = background,
            LayerDecomposition = layers,
            MaxLayers = maxLayers,
        };
    }

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
        string message = Single(Shape(family: "still", maxImages: 2), RequestField.MaxImages).Message;
        Assert.Contains("seedream-still-000001 (still) makes one image a request and refuses sequential_image_generation; leave out -MaxImages", message);
        Assert.Contains("use a model that makes sequences: 5.0-lite, 4.5, 4.0, gone.", message);
        Allowed(Shape(family: "still"));
    }

    // ------------------------------------------------------------------ references

    [Theory]
    [InlineData("APIYI", 10)]
    [InlineData("BytePlus", 14)]
    [InlineData("Volcengine", 14)]
    public void References_over_the_provider_limit_are_refused_and_the_limit_is_allowed(string provider, int limit)
    {
        string message = Single(Shape(family: "4.5", provider: provider, references: limit + 1), RequestField.Image).Message;
        Assert.Equal($"{provider} accepts at most {limit} reference images for 4.5; {limit + 1} were given.", message);
        Allowed(Shape(family: "4.5", provider: provider, references: limit));
        Single(Shape(family: null, provider: provider, references: limit + 1), RequestField.Image);
    }

    [Theory]
    [InlineData("APIYI", 5, 11)]
    [InlineData("APIYI", 10, 6)]
    [InlineData("BytePlus", 14, 2)]
    [InlineData("Volcengine", 1, 15)]
    public void References_plus_MaxImages_over_15_are_refused(string provider, int references, int maxImages)
    {
        string message = Single(Shape(family: "4.5", provider: provider, references: references, maxImages: maxImages), RequestField.MaxImages).Message;
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
        Allowed(Shape(family: "4.5", provider: provider, references: references, maxImages: maxImages));

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
        Assert.Contains($"'{size}' is not a tier of model {TestCatalog.FindModel(family)!.Offers[0].Id} ({family}); it offers {offered}, or WIDTHxHEIGHT", message);
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
    [InlineData("1K", true, true)]
    [InlineData("1.5K", true, true)]
    [InlineData("12.25K", true, true)]
    [InlineData("2k", true, false)]
    [InlineData("2k", false, true)]
    [InlineData("K", false, false)]
    [InlineData("1.K", false, false)]
    [InlineData(".5K", false, false)]
    [InlineData("1.5.5K", false, false)]
    [InlineData("1,5K", false, false)]
    [InlineData(" 2K", false, false)]
    [InlineData("2KK", false, false)]
    public void IsTierName_reads_tiers_as_the_API_spells_them(string text, bool upperCaseOnly, bool expected) =>
        Assert.Equal(expected, RequestRules.IsTierName(text, upperCaseOnly));

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
        Assert.Contains("cannot write png; it writes jpeg. Png needs 5.5, 5.0-pro, 5.0-flash, 5.0-lite, rich.", message);
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
        string message = Single(Shape(family: "still", stream: true), RequestField.Stream).Message;
        Assert.Contains("does not stream its answer and refuses stream; leave out -Stream, or use a model that streams: 5.0-lite, 4.5, 4.0, gone.", message);
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
        Assert.Contains("does not offer prompt optimisation mode 'fast'; it offers standard. 'fast' needs 5.0-pro, 4.0, rich.", message);
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
    // ------------------------------------------------------------------ empty and canonical sizes

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_size_is_refused_not_defaulted(string size)
    {
        Assert.Contains("the size must not be empty; leave -Size out for the model's default (2K on 5.0-lite)", Single(Shape(size: size), RequestField.Size).Message);
        Single(Shape(family: null, size: size), RequestField.Size);
    }

    [Theory]
    [InlineData("5.0-lite", " 2k ")]
    [InlineData("4.5", "2048X2048")]
    public void Sizes_are_checked_in_their_canonical_form(string family, string size) => Allowed(Shape(family: family, size: size));

    [Fact]
    public void Size_auto_is_only_for_layer_decomposition()
    {
        Assert.Contains("size auto (follow the input image) is only for layer decomposition, which 4.5 does not do.", Single(Shape(family: "4.5", size: "auto"), RequestField.Size).Message);
        Single(Shape(family: "rich", size: "auto"), RequestField.Size);
        Allowed(Shape(family: "rich", size: "auto", layers: true, facts: new[] { Png("in.png", 1024, 1024) }));
    }

    // ------------------------------------------------------------------ per-image limits of the model

    private static ReferenceFacts Png(string name, int width, int height, long bytes = 1000, string format = "png", bool? alpha = null) =>
        new ReferenceFacts($"the image file '{name}'", format, bytes, width, height, alpha);

    [Fact]
    public void A_reference_over_the_models_byte_limit_is_refused()
    {
        string message = Single(Shape(facts: new[] { Png("big.png", 64, 64, bytes: 10_485_761) }), RequestField.Image).Message;
        Assert.Equal("the image file 'big.png' is 10,485,761 bytes; a reference image on model seedream-5-0-260128 (5.0-lite) may be at most 10,485,760 bytes (10 MB).", message);
        Allowed(Shape(facts: new[] { Png("edge.png", 64, 64, bytes: 10_485_760) }));
        Allowed(Shape(family: "rich", facts: new[] { Png("big.png", 64, 64, bytes: 10_485_761) }));
        Assert.Contains("may be at most 31,457,280 bytes (30 MB)", Single(Shape(family: "rich", facts: new[] { Png("huge.png", 64, 64, bytes: 31_457_281) }), RequestField.Image).Message);
    }

    [Fact]
    public void A_reference_format_is_checked_against_the_model()
    {
        Assert.Contains("is heic; reference images on model seedream-5-0-260128 (5.0-lite) may be png, jpeg, webp, bmp, tiff, gif",
            Single(Shape(facts: new[] { Png("photo.heic", 64, 64, format: "heic") }), RequestField.Image).Message);
        Allowed(Shape(family: "rich", facts: new[] { Png("photo.heic", 64, 64, format: "heic") }));
    }

    [Theory]
    [InlineData(14, 64, "is 14x64; width and height must each be over 14 pixels")]
    [InlineData(64, 14, "is 64x14; width and height must each be over 14 pixels")]
    [InlineData(256, 15, "an aspect ratio of 17.067; width / height must be between 1/16 and 16")]
    [InlineData(6001, 6000, "= 36,006,000 pixels; at most 36,000,000 are allowed")]
    public void A_reference_outside_the_pixel_rules_is_refused(int width, int height, string says)
    {
        Assert.Contains(says, Single(Shape(facts: new[] { Png("x.png", width, height) }), RequestField.Image).Message);
        Single(Shape(family: null, facts: new[] { Png("x.png", width, height) }), RequestField.Image);
    }

    [Theory]
    [InlineData(15, 15)]
    [InlineData(240, 15)]
    [InlineData(6000, 6000)]
    public void A_reference_at_the_pixel_edges_is_allowed(int width, int height) => Allowed(Shape(facts: new[] { Png("x.png", width, height) }));

    [Fact]
    public void A_url_reference_has_only_its_count_checked() => Allowed(Shape(facts: new[] { new ReferenceFacts("https://img.example/a.png") }));

    // ------------------------------------------------------------------ thinking

    [Fact]
    public void Thinking_needs_a_model_that_has_it()
    {
        Assert.Contains("has no thinking setting for prompt optimisation; leave out -Thinking, or use 5.0-pro, rich.", Single(Shape(thinking: "enabled"), RequestField.Thinking).Message);
        Allowed(Shape(family: "rich", thinking: "enabled"));
        Allowed(Shape(family: "rich", thinking: "disabled"));
        Allowed(Shape(family: "rich", thinking: "enabled", references: 2));
        Allowed(Shape(family: null, thinking: "disabled"));
    }

    [Fact]
    public void Thinking_disabled_is_allowed_only_without_references()
    {
        Assert.Equal("thinking 'disabled' is allowed on rich only without reference images; 1 were given.",
            Single(Shape(family: "rich", thinking: "disabled", references: 1), RequestField.Thinking).Message);
    }

    // ------------------------------------------------------------------ background

    [Fact]
    public void Background_needs_a_model_that_has_it_and_one_of_its_modes()
    {
        Assert.Contains("has no background setting; leave out -Background, or use 5.5, 5.0-pro, 5.0-flash, rich.", Single(Shape(background: "auto"), RequestField.Background).Message);
        Assert.Contains("takes background auto, transparent, opaque; 'clear' was given", Single(Shape(family: "rich", background: "clear"), RequestField.Background).Message);
        Allowed(Shape(family: "rich", background: "opaque"));
    }

    [Fact]
    public void A_transparent_background_needs_png_output_and_one_alpha_png_reference_where_the_model_says_so()
    {
        ReferenceFacts alpha = Png("logo.png", 512, 512, alpha: true);
        Allowed(Shape(family: "rich", background: "transparent", outputFormat: "png", facts: new[] { alpha }));
        Assert.Contains("a transparent background needs -OutputFormat Png; jpeg was given.",
            Single(Shape(family: "rich", background: "transparent", outputFormat: "jpeg", facts: new[] { alpha }), RequestField.OutputFormat).Message);
        Assert.Contains("none was set", Single(Shape(family: "rich", background: "transparent", facts: new[] { alpha }), RequestField.OutputFormat).Message);
        Assert.Contains("needs exactly 1 reference image(s) in png with an alpha channel; 0 were given",
            Single(Shape(family: "rich", background: "transparent", outputFormat: "png"), RequestField.Image).Message);
        Assert.Contains("needs a png reference; the image file 'a.jpg' is jpeg",
            Single(Shape(family: "rich", background: "transparent", outputFormat: "png", facts: new[] { Png("a.jpg", 512, 512, format: "jpeg") }), RequestField.Image).Message);
        Assert.Contains("needs a reference with an alpha channel; the image file 'flat.png' has none",
            Single(Shape(family: "rich", background: "transparent", outputFormat: "png", facts: new[] { Png("flat.png", 512, 512, alpha: false) }), RequestField.Image).Message);
    }

    [Fact]
    public void A_background_is_never_sent_with_layer_decomposition()
    {
        Assert.Contains("cannot be set with layer decomposition",
            Single(Shape(family: "rich", background: "opaque", layers: true, facts: new[] { Png("in.png", 1024, 1024) }), RequestField.Background).Message);
    }

    // ------------------------------------------------------------------ layer decomposition

    [Fact]
    public void Layer_decomposition_needs_a_model_that_does_it()
    {
        Assert.Contains("cannot split an image into layers; use 5.5, 5.0-pro, 5.0-flash, rich.", Single(Shape(layers: true, facts: new[] { Png("in.png", 1024, 1024) }), RequestField.LayerDecomposition).Message);
    }

    [Fact]
    public void Layer_decomposition_takes_exactly_one_large_enough_image_and_allows_an_empty_prompt()
    {
        Allowed(Shape(family: "rich", prompt: "", layers: true, facts: new[] { Png("in.png", 512, 512) }));
        Assert.Contains("takes exactly one image; 2 were given", Single(Shape(family: "rich", layers: true, facts: new[] { Png("a.png", 1024, 1024), Png("b.png", 1024, 1024) }), RequestField.Image).Message);
        Assert.Contains("takes exactly one image; 0 were given", Single(Shape(family: "rich", layers: true), RequestField.Image).Message);
        Assert.Contains("is 511x512; layer decomposition needs at least 512x512 pixels", Single(Shape(family: "rich", layers: true, facts: new[] { Png("in.png", 511, 512) }), RequestField.Image).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void The_layer_cap_is_the_models(int maxLayers)
    {
        Assert.Contains($"makes 1 to 16 layers; {maxLayers} was given", Single(Shape(family: "rich", layers: true, maxLayers: maxLayers, facts: new[] { Png("in.png", 1024, 1024) }), RequestField.MaxLayers).Message);
        Allowed(Shape(family: "rich", layers: true, maxLayers: 16, facts: new[] { Png("in.png", 1024, 1024) }));
        Single(Shape(family: "rich", maxLayers: 4), RequestField.MaxLayers);
    }

    [Fact]
    public void The_layer_caps_ends_and_the_input_byte_limit_are_allowed_one_past_them_refused()
    {
        ReferenceFacts[] one = { Png("in.png", 1024, 1024) };
        Allowed(Shape(family: "rich", layers: true, maxLayers: 1, facts: one));
        Allowed(Shape(family: "rich", layers: true, facts: new[] { Png("in.png", 1024, 1024, bytes: 31_457_280) }));
        Assert.Equal("the image file 'in.png' is 31,457,281 bytes; layer decomposition on rich takes at most 31,457,280 bytes (30 MB).",
            Single(Shape(family: "rich", layers: true, facts: new[] { Png("in.png", 1024, 1024, bytes: 31_457_281) }), RequestField.Image).Message);
        Assert.Equal("a layer cap needs layer decomposition.", Single(Shape(family: "rich", maxLayers: 4), RequestField.MaxLayers).Message);
    }

    [Fact]
    public void Layer_decomposition_refuses_an_input_format_the_model_does_not_split()
    {
        // 5.0 Pro takes a HEIC reference, but splits only png, jpeg, webp, bmp, tiff and gif.
        Allowed(Shape(family: "5.0-pro", facts: new[] { Png("in.heic", 1024, 1024, format: "heic") }));
        string message = Single(Shape(family: "5.0-pro", layers: true, facts: new[] { Png("in.heic", 1024, 1024, format: "heic") }), RequestField.Image).Message;
        Assert.StartsWith("the image file 'in.heic' is heic; layer decomposition on 5.0-pro takes ", message);
        Allowed(Shape(family: "5.0-pro", layers: true, facts: new[] { new ReferenceFacts("an image of unknown format", null, 1000, 1024, 1024, null) }));
    }

    [Fact]
    public void For_a_model_the_catalog_does_not_know_the_reference_limit_is_the_most_any_model_on_the_provider_takes()
    {
        // On Volcengine the test catalog's "gone" takes 14 and the shipped models 14 at most; on APIYI every model takes 10.
        Assert.Equal("APIYI accepts at most 10 reference images; 11 were given.", Single(Shape(family: null, references: 11), RequestField.Image).Message);
        Allowed(Shape(family: null, references: 10));
        Allowed(Shape(family: null, provider: "Volcengine", references: 14));
    }

    [Theory]
    [InlineData("2048x0")]
    [InlineData("0x2048")]
    [InlineData("2048x")]
    [InlineData("x2048")]
    [InlineData("2048x2048x2")]
    public void A_size_without_two_positive_sides_is_not_dimensions(string text) => Assert.Null(RequestRules.ParseDimensions(text));

    [Fact]
    public void Tiers_and_sizes_with_a_zero_in_them_read()
    {
        Assert.True(RequestRules.IsTierName("10K", upperCaseOnly: true));
        Assert.True(RequestRules.IsTierName("1.0K", upperCaseOnly: true));
        Assert.Equal((2048, 2048), RequestRules.ParseDimensions("2048x2048"));
    }

    [Fact]
    public void With_no_size_the_size_is_the_models_default()
    {
        SeedreamCatalog catalog = ModelCatalog.Parse("""{ "models": [ { "family": "4.0", "sizes": { "default": "1K" } } ] }""", "user.json", ModelCatalog.Shipped);
        Assert.Equal((1024, 1024), RequestRules.ResolveSize(null, catalog.FindModel("4.0")));
        Assert.Equal((2048, 2048), RequestRules.ResolveSize(null, ModelCatalog.Shipped.FindModel("4.0")));
    }

    // ------------------------------------------------------------------ status and provider

    [Fact]
    public void A_model_retired_on_the_provider_is_refused_with_the_date_and_live_models()
    {
        string message = Single(Shape(family: "gone", provider: "Volcengine"), RequestField.Model).Message;
        Assert.Contains("model doubao-seedream-gone-000001 (gone) was switched off on Volcengine on 2026-11-24 14:00 +08:00 (switched off); use a live model: 5.5, 5.0-pro, 5.0-flash (default 5.5).", message);
        Allowed(Shape(family: "gone", provider: "APIYI"));
    }

    [Fact]
    public void A_model_not_offered_on_the_provider_is_refused()
    {
        Assert.Contains("model gone is not offered on BytePlus; it is on APIYI, Volcengine.", Single(Shape(family: "gone", provider: "BytePlus"), RequestField.Model).Message);
    }
}
