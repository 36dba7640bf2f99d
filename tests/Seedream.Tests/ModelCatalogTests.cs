using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>The shipped catalog file: finding models and providers, ids per provider, tier resolution, and the contract's figures.</summary>
public class ModelCatalogTests
{
    private static SeedreamCatalog Catalog => ModelCatalog.Shipped;

    private static SeedreamProvider Provider(string name) => Catalog.FindProvider(name)!;

    [Theory]
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

    /// <summary>List prices: one plain image at the default size, and the short text of the rule.</summary>
    [Theory]
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
}
