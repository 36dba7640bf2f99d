using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>The shipped catalog file: finding models and providers, ids per provider, tier resolution, and the contract's figures.</summary>
public class ModelCatalogTests
{
    private static SeedreamCatalog Catalog => ModelCatalog.Shipped;

    private static SeedreamProvider Provider(string name) => Catalog.FindProvider(name)!;

    [Theory]
    [InlineData("5.5", "5.5")]
    [InlineData("pro", "5.0-pro")]
    [InlineData("PRO", "5.0-pro")]
    [InlineData("5.0-Pro", "5.0-pro")]
    [InlineData("flash", "5.0-flash")]
    [InlineData("5.0-flash", "5.0-flash")]
    [InlineData("seedream-5-5-261028", "5.5")]
    [InlineData("dola-seedream-5-5-261028", "5.5")]
    [InlineData("doubao-seedream-5-5-261028", "5.5")]
    [InlineData("DOLA-SEEDREAM-5-0-PRO-260628", "5.0-pro")]
    [InlineData("doubao-seedream-5-0-flash-260915", "5.0-flash")]
    [InlineData("5.0-lite", "5.0-lite")]
    [InlineData("lite", "5.0-lite")]
    [InlineData("4.5", "4.5")]
    [InlineData("4.0", "4.0")]
    [InlineData("5.0-LITE", "5.0-lite")]
    [InlineData(" 4.5 ", "4.5")]
    [InlineData("seedream-5-0-260128", "5.0-lite")]
    [InlineData("seedream-5-0-lite-260128", "5.0-lite")]
    [InlineData("seedream-4-5-251128", "4.5")]
    [InlineData("SEEDREAM-4-0-250828", "4.0")]
    [InlineData("doubao-seedream-4-5-251128", "4.5")]
    [InlineData("doubao-seedream-5-0-lite-260128", "5.0-lite")]
    [InlineData("doubao-seedream-4-0-250828", "4.0")]
    public void FindModel_knows_names_and_every_providers_ids_in_any_case(string value, string family)
    {
        SeedreamModel? model = Catalog.FindModel(value);
        Assert.NotNull(model);
        Assert.Equal(family, model!.Family);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("seedream-9-0-990101")]
    [InlineData("ep-20260101120000-abcde")]
    [InlineData("doubao-4.5")]
    [InlineData("seedream-4-5")]
    [InlineData("4")]
    [InlineData("other-seedream-4-5-251128")]
    [InlineData("dola-seedream-4-5-251128")]
    [InlineData("5.0")]
    [InlineData("seedream-5-5")]
    public void FindModel_returns_null_for_what_the_catalog_does_not_know(string? value)
    {
        Assert.Null(Catalog.FindModel(value));
    }

    [Theory]
    [InlineData("APIYI", "https://api.apiyi.com/v1", "SEEDREAM_API_KEY", false)]
    [InlineData("BytePlus", "https://ark.ap-southeast.bytepluses.com/api/v3", "ARK_API_KEY,SEEDREAM_API_KEY", true)]
    [InlineData("Volcengine", "https://ark.cn-beijing.volces.com/api/v3", "ARK_API_KEY,SEEDREAM_API_KEY", true)]
    public void Providers_have_their_base_uri_key_variables_and_model_listing(string name, string baseUri, string variables, bool listsModels)
    {
        SeedreamProvider? provider = ModelCatalog.FindProvider(name.ToLowerInvariant());
        Assert.NotNull(provider);
        Assert.Equal(name, provider!.Name);
        Assert.Equal(new Uri(baseUri), provider.BaseUri);
        Assert.Equal(variables.Split(','), provider.ApiKeyVariables);
        Assert.Equal(listsModels, provider.ListsModels);
        Assert.NotNull(Catalog.Default(provider).Model);
    }

    [Fact]
    public void The_default_provider_is_APIYI_and_unknown_providers_are_null()
    {
        Assert.Equal("APIYI", ModelCatalog.DefaultProvider.Name);
        Assert.Null(ModelCatalog.FindProvider("Nowhere"));
        Assert.Null(ModelCatalog.FindProvider(null));
    }

    [Theory]
    [InlineData("APIYI", "5.5", "seedream-5-5-261028", ModelMatch.Name)]
    [InlineData("BytePlus", "5.5", "dola-seedream-5-5-261028", ModelMatch.Name)]
    [InlineData("Volcengine", "5.5", "doubao-seedream-5-5-261028", ModelMatch.Name)]
    [InlineData("APIYI", "Pro", "seedream-5-0-pro-260628", ModelMatch.Name)]
    [InlineData("BytePlus", "pro", "dola-seedream-5-0-pro-260628", ModelMatch.Name)]
    [InlineData("Volcengine", "FLASH", "doubao-seedream-5-0-flash-260915", ModelMatch.Name)]
    [InlineData("BytePlus", "seedream-5-0-flash-260915", "dola-seedream-5-0-flash-260915", ModelMatch.OtherProviderId)]
    [InlineData("APIYI", "dola-seedream-5-5-261028", "seedream-5-5-261028", ModelMatch.OtherProviderId)]
    [InlineData("BytePlus", "Dola-Seedream-5-5-261028", "dola-seedream-5-5-261028", ModelMatch.ProviderId)]
    [InlineData("APIYI", "4.5", "seedream-4-5-251128", ModelMatch.Name)]
    [InlineData("BytePlus", "4.5", "seedream-4-5-251128", ModelMatch.Name)]
    [InlineData("Volcengine", "4.5", "doubao-seedream-4-5-251128", ModelMatch.Name)]
    [InlineData("BytePlus", "4.0", "seedream-4-0-250828", ModelMatch.Name)]
    [InlineData("APIYI", "SEEDREAM-5-0-LITE-260128", "seedream-5-0-lite-260128", ModelMatch.ProviderId)]
    [InlineData("Volcengine", "seedream-4-0-250828", "doubao-seedream-4-0-250828", ModelMatch.OtherProviderId)]
    [InlineData("APIYI", "doubao-seedream-4-5-251128", "seedream-4-5-251128", ModelMatch.OtherProviderId)]
    [InlineData("APIYI", "seedream-9-0-990101", "seedream-9-0-990101", ModelMatch.Unknown)]
    public void Choose_sends_the_id_in_the_providers_own_form(string providerName, string requested, string wireId, ModelMatch match)
    {
        ModelChoice choice = Catalog.Choose(requested, Provider(providerName));
        Assert.Equal(wireId, choice.WireId);
        Assert.Equal(match, choice.Match);
        Assert.Equal(match == ModelMatch.Unknown, choice.Model is null);
    }

    [Fact]
    public void An_unknown_id_gets_the_nearest_known_ids()
    {
        ModelChoice choice = Catalog.Choose("seedream-4-5-251129", Provider("APIYI"));
        Assert.Null(choice.Model);
        Assert.Equal("seedream-4-5-251128", choice.Suggestions.First());
        Assert.Empty(Catalog.Choose("a-completely-different-name-xyz", Provider("APIYI")).Suggestions);
    }

    [Fact]
    public void Every_name_and_id_is_unique_across_the_catalog()
    {
        var all = Catalog.Models.SelectMany(m => m.Names.Concat(m.AllIds)).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_common_limits_match_the_contract()
    {
        Assert.Equal(15, ModelCatalog.MaxImagesPerRequest);
        Assert.Equal(15, ModelCatalog.MaxReferencesPlusOutputs);
        Assert.Equal(16, ModelCatalog.MaxAspectRatio);
        Assert.Equal(15, ModelCatalog.MinReferenceImageSide);
        Assert.Equal(36_000_000, ModelCatalog.MaxReferenceImagePixels);
        Assert.Equal(new[] { "png", "jpeg", "webp", "bmp", "tiff", "gif" }, ModelCatalog.ReferenceImageFormats);
        Assert.Equal(TimeSpan.FromHours(24), ModelCatalog.UrlLifetime);
        Assert.Equal(Catalog.Models.Max(m => m.ReferenceImages.MaxBytes), ModelCatalog.MaxReferenceImageBytes);
    }

    [Fact]
    public void Every_tier_and_recommended_size_is_accepted_by_its_own_model()
    {
        foreach (SeedreamModel model in Catalog.Models)
        {
            foreach (SizeTier tier in model.SizeTiers)
            {
                Assert.InRange(tier.Pixels, model.MinPixels, model.MaxPixels);
            }

            foreach (string size in model.RecommendedSizes.Concat(model.SizeTiers.Select(t => t.Name)))
            {
                ModelOffer offer = model.Offers[0];
                var shape = new RequestShape { Prompt = "p", Model = model, ModelId = offer.Id, Provider = offer.Provider, Size = size };
                Assert.True(RequestRules.Check(shape).Count == 0, $"{size} is refused on {model.Family}");
            }
        }
    }

    [Theory]
    [InlineData("4.0", "1K", 1024, 1024)]
    [InlineData("4.0", "1k", 1024, 1024)]
    [InlineData("4.5", "2K", 2048, 2048)]
    [InlineData("4.5", "4K", 4096, 4096)]
    [InlineData("5.0-lite", "3K", 3072, 3072)]
    [InlineData("5.0-lite", null, 2048, 2048)]
    [InlineData("5.0-lite", "", 2048, 2048)]
    [InlineData("4.5", "2496x1664", 2496, 1664)]
    public void ResolveSize_turns_tiers_WxH_and_the_default_into_pixels(string family, string? size, int width, int height)
    {
        Assert.Equal((width, height), RequestRules.ResolveSize(size, Catalog.FindModel(family)));
    }

    [Theory]
    [InlineData("4.5", "1K")]
    [InlineData("4.0", "3K")]
    [InlineData("5.0-lite", "4K")]
    [InlineData(null, "2K")]
    [InlineData(null, "big")]
    public void ResolveSize_is_null_for_a_tier_the_model_lacks_or_an_unknown_model(string? family, string size)
    {
        Assert.Null(RequestRules.ResolveSize(size, family is null ? null : Catalog.FindModel(family)));
    }

    [Fact]
    public void ResolveSize_reads_WxH_for_a_model_the_catalog_does_not_know()
    {
        Assert.Equal((1920, 1080), RequestRules.ResolveSize("1920x1080", null));
    }

    [Theory]
    [InlineData("4.5", "2k", "2K")]
    [InlineData("4.5", " 2K ", "2K")]
    [InlineData("4.5", "2048X2048", "2048x2048")]
    [InlineData("4.5", " 2048x1024 ", "2048x1024")]
    [InlineData(null, "1.5k", "1.5K")]
    [InlineData(null, "AUTO", "auto")]
    [InlineData("4.0", "big", "big")]
    public void CanonicalSize_is_what_goes_on_the_wire(string? family, string size, string wire)
    {
        Assert.Equal(wire, RequestRules.CanonicalSize(size, family is null ? null : Catalog.FindModel(family)));
    }

    /// <summary>The contract's figures per model (shared/API-CONTRACT.md, "The models").</summary>
    [Theory]
    [InlineData("5.5", "1K,1.5K,2K", 921_600, 4_194_304, "jpeg,png", "standard", false, false)]
    [InlineData("5.0-pro", "1K,2K", 921_600, 4_194_304, "jpeg,png", "standard,fast", false, false)]
    [InlineData("5.0-flash", "1K,1.5K,2K", 921_600, 4_194_304, "jpeg,png", "standard", false, false)]
    [InlineData("4.0", "1K,2K,4K", 921_600, 16_777_216, "jpeg", "standard,fast", true, true)]
    [InlineData("4.5", "2K,4K", 3_686_400, 16_777_216, "jpeg", "standard", true, true)]
    [InlineData("5.0-lite", "2K,3K", 3_686_400, 10_404_496, "jpeg,png", "standard", true, true)]
    public void Models_carry_the_contract_figures(string family, string tiers, long minPixels, long maxPixels, string formats, string modes, bool sequence, bool stream)
    {
        SeedreamModel model = Catalog.FindModel(family)!;
        Assert.Equal(tiers.Split(','), model.SizeTiers.Select(t => t.Name));
        Assert.Equal(minPixels, model.MinPixels);
        Assert.Equal(maxPixels, model.MaxPixels);
        Assert.Equal(formats.Split(','), model.OutputFormats);
        Assert.Equal(modes.Split(','), model.PromptOptimizationModes);
        Assert.Equal(sequence, model.SupportsSequence);
        Assert.Equal(stream, model.SupportsStreaming);
        Assert.Equal(1.0 / 16, model.MinAspectRatio);
        Assert.Equal(16, model.MaxAspectRatio);
    }

    /// <summary>Ids, reference limits and status per provider.</summary>
    [Theory]
    [InlineData("5.5", "APIYI", "seedream-5-5-261028", 10)]
    [InlineData("5.5", "BytePlus", "dola-seedream-5-5-261028", 10)]
    [InlineData("5.5", "Volcengine", "doubao-seedream-5-5-261028", 10)]
    [InlineData("5.0-pro", "APIYI", "seedream-5-0-pro-260628", 10)]
    [InlineData("5.0-pro", "BytePlus", "dola-seedream-5-0-pro-260628", 10)]
    [InlineData("5.0-pro", "Volcengine", "doubao-seedream-5-0-pro-260628", 10)]
    [InlineData("5.0-flash", "APIYI", "seedream-5-0-flash-260915", 10)]
    [InlineData("5.0-flash", "BytePlus", "dola-seedream-5-0-flash-260915", 10)]
    [InlineData("5.0-flash", "Volcengine", "doubao-seedream-5-0-flash-260915", 10)]
    [InlineData("5.0-lite", "APIYI", "seedream-5-0-260128,seedream-5-0-lite-260128", 10)]
    [InlineData("5.0-lite", "BytePlus", "seedream-5-0-260128,seedream-5-0-lite-260128", 14)]
    [InlineData("5.0-lite", "Volcengine", "doubao-seedream-5-0-260128,doubao-seedream-5-0-lite-260128", 14)]
    [InlineData("4.5", "APIYI", "seedream-4-5-251128", 10)]
    [InlineData("4.5", "BytePlus", "seedream-4-5-251128", 14)]
    [InlineData("4.5", "Volcengine", "doubao-seedream-4-5-251128", 14)]
    [InlineData("4.0", "APIYI", "seedream-4-0-250828", 10)]
    [InlineData("4.0", "BytePlus", "seedream-4-0-250828", 14)]
    [InlineData("4.0", "Volcengine", "doubao-seedream-4-0-250828", 14)]
    public void Offers_carry_the_ids_and_reference_limit_of_each_provider(string family, string providerName, string ids, int maxReferences)
    {
        ModelOffer offer = Catalog.FindModel(family)!.OfferOn(Provider(providerName))!;
        Assert.Equal(ids.Split(','), offer.Ids);
        Assert.Equal(maxReferences, offer.MaxReferenceImages);
    }

    /// <summary>List prices: one plain image at the default size (2K), and the short text of the rule.</summary>
    [Theory]
    [InlineData("5.5", "APIYI", 0.035, "$0.02-0.035 +$0.008/ref")]
    [InlineData("5.5", "BytePlus", 0.035, "$0.02-0.035 +$0.008/ref")]
    [InlineData("5.0-pro", "APIYI", 0.12, "$0.12/request")]
    [InlineData("5.0-pro", "BytePlus", 0.09, "$0.045-0.09 +$0.003/ref>1")]
    [InlineData("5.0-flash", "Volcengine", 0.018, "$0.018")]
    [InlineData("5.0-lite", "APIYI", 0.035, "$0.035")]
    [InlineData("4.5", "BytePlus", 0.04, "$0.04")]
    [InlineData("4.0", "Volcengine", 0.03, "$0.03")]
    public void Prices_follow_the_list(string family, string providerName, double oneImage, string text)
    {
        SeedreamModel model = Catalog.FindModel(family)!;
        PriceRule price = model.OfferOn(Provider(providerName))!.Price;
        Assert.Equal((decimal)oneImage, price.OneImage(model.DefaultPixels));
        Assert.Equal(text, price.ShortText);
    }

    /// <summary>Hand-computed from the contract's price table: images of a size, with references.</summary>
    [Theory]
    [InlineData("5.5", "BytePlus", "1K", 0, 0.020)]
    [InlineData("5.5", "BytePlus", "1.5K", 0, 0.020)]
    [InlineData("5.5", "BytePlus", "1612x1613", 0, 0.020)]
    [InlineData("5.5", "BytePlus", "1613x1613", 0, 0.035)]
    [InlineData("5.5", "APIYI", "2K", 3, 0.059)]
    [InlineData("5.0-pro", "BytePlus", "1K", 1, 0.045)]
    [InlineData("5.0-pro", "BytePlus", "1K", 3, 0.051)]
    [InlineData("5.0-pro", "BytePlus", "1536x1536", 0, 0.045)]
    [InlineData("5.0-pro", "BytePlus", "1537x1536", 0, 0.09)]
    [InlineData("5.0-pro", "Volcengine", "2K", 10, 0.117)]
    [InlineData("5.0-pro", "APIYI", "1K", 10, 0.12)]
    [InlineData("5.0-flash", "APIYI", "2K", 10, 0.018)]
    public void Request_prices_follow_the_rules(string family, string providerName, string size, int references, double expected)
    {
        SeedreamModel model = Catalog.FindModel(family)!;
        PriceRule price = model.OfferOn(Provider(providerName))!.Price;
        Assert.Equal((decimal)expected, price.Estimate(1, RequestRules.PixelsOf(size, model), references));
    }

    /// <summary>Status per provider, from the contract's retirements.</summary>
    [Theory]
    [InlineData("5.0-lite", "Volcengine", ModelState.Retired, "2026-11-24 14:00 +08:00")]
    [InlineData("4.5", "Volcengine", ModelState.Retiring, "2026-11-24 14:00 +08:00")]
    [InlineData("4.0", "Volcengine", ModelState.Retiring, "2026-11-24 14:00 +08:00")]
    [InlineData("5.0-lite", "BytePlus", ModelState.Live, "")]
    [InlineData("5.0-lite", "APIYI", ModelState.Live, "")]
    [InlineData("5.5", "Volcengine", ModelState.Live, "")]
    public void Retirements_are_per_provider(string family, string providerName, ModelState state, string date)
    {
        ModelStatus status = Catalog.FindModel(family)!.OfferOn(Provider(providerName))!.Status;
        Assert.Equal(state, status.State);
        Assert.Equal(date, status.DateText);
    }

    [Theory]
    [InlineData("APIYI", "5.0-lite", "seedream-5-0-260128")]
    [InlineData("BytePlus", "5.0-lite", "seedream-5-0-260128")]
    [InlineData("Volcengine", "5.5", "doubao-seedream-5-5-261028")]
    public void Each_provider_has_a_live_default(string providerName, string family, string wireId)
    {
        ModelChoice choice = Catalog.Default(Provider(providerName));
        Assert.Equal(family, choice.Model!.Family);
        Assert.Equal(wireId, choice.WireId);
        Assert.Equal(ModelState.Live, choice.Offer!.Status.State);
    }

    [Fact]
    public void The_new_models_carry_their_optional_fields()
    {
        SeedreamModel pro = Catalog.FindModel("pro")!, flash = Catalog.FindModel("flash")!, five = Catalog.FindModel("5.5")!;
        Assert.Equal(new[] { "enabled", "disabled" }, pro.Thinking!.Modes);
        Assert.Equal(new[] { "disabled" }, pro.Thinking.WithoutReferencesOnly);
        Assert.Null(five.Thinking);
        Assert.Equal(new[] { "auto", "transparent", "opaque" }, five.Background!.Modes);
        Assert.Equal(new[] { "transparent" }, flash.Background!.Modes);
        Assert.Equal(1, pro.Background!.Transparent!.ReferenceCount);
        Assert.True(pro.Background.Transparent.ReferenceAlpha);
        Assert.Null(five.Background.Transparent!.ReferenceCount);
        Assert.Equal(99, five.LayerDecomposition!.MaxLayers);
        Assert.Equal(16, pro.LayerDecomposition!.MaxLayers);
        Assert.Equal(16, flash.LayerDecomposition!.MaxLayers);
        Assert.Null(Catalog.FindModel("4.5")!.LayerDecomposition);
        Assert.Contains("heic", pro.ReferenceImages.Formats);
        Assert.Equal(30L * 1024 * 1024, pro.ReferenceImages.MaxBytes);
        Assert.Equal(10L * 1024 * 1024, five.ReferenceImages.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(240), pro.SuggestedTimeout);
        Assert.Null(flash.SuggestedTimeout);
    }
}
