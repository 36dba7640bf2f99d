using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>The catalog as data: finding models and providers, tier resolution, and figures that agree with each other.</summary>
public class ModelCatalogTests
{
    [Theory]
    [InlineData("5.0-lite", "5.0-lite")]
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
    public void FindModel_knows_families_ids_aliases_and_the_doubao_prefix(string value, string family)
    {
        SeedreamModel? model = ModelCatalog.FindModel(value);
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
        Assert.Null(ModelCatalog.FindModel(value));
    }

    [Theory]
    [InlineData("4.5", true)]
    [InlineData("5.0-Lite", true)]
    [InlineData("seedream-4-5-251128", false)]
    [InlineData("ep-1", false)]
    public void IsFamilyName_tells_short_names_from_ids(string value, bool expected)
    {
        Assert.Equal(expected, ModelCatalog.IsFamilyName(value));
    }

    [Theory]
    [InlineData("APIYI", "https://api.apiyi.com/v1", 10, "", "SEEDREAM_API_KEY")]
    [InlineData("BytePlus", "https://ark.ap-southeast.bytepluses.com/api/v3", 14, "", "ARK_API_KEY,SEEDREAM_API_KEY")]
    [InlineData("Volcengine", "https://ark.cn-beijing.volces.com/api/v3", 14, "doubao-", "ARK_API_KEY,SEEDREAM_API_KEY")]
    public void Providers_have_their_base_uri_reference_limit_prefix_and_key_variables(string name, string baseUri, int maxReferences, string prefix, string variables)
    {
        SeedreamProvider? provider = ModelCatalog.FindProvider(name.ToLowerInvariant());
        Assert.NotNull(provider);
        Assert.Equal(name, provider!.Name);
        Assert.Equal(new Uri(baseUri), provider.BaseUri);
        Assert.Equal(maxReferences, provider.MaxReferenceImages);
        Assert.Equal(prefix, provider.ModelIdPrefix);
        Assert.Equal(variables.Split(','), provider.ApiKeyVariables);
    }

    [Fact]
    public void The_default_provider_is_APIYI_and_unknown_providers_are_null()
    {
        Assert.Equal("APIYI", ModelCatalog.DefaultProvider.Name);
        Assert.Null(ModelCatalog.FindProvider("Nowhere"));
        Assert.Null(ModelCatalog.FindProvider(null));
    }

    [Theory]
    [InlineData("APIYI", "4.5", "seedream-4-5-251128")]
    [InlineData("BytePlus", "4.5", "seedream-4-5-251128")]
    [InlineData("Volcengine", "4.5", "doubao-seedream-4-5-251128")]
    [InlineData("Volcengine", "5.0-lite", "doubao-seedream-5-0-260128")]
    [InlineData("BytePlus", "4.0", "seedream-4-0-250828")]
    public void ModelIdFor_names_a_model_as_the_provider_does(string providerName, string family, string id)
    {
        Assert.Equal(id, ModelCatalog.FindProvider(providerName)!.ModelIdFor(ModelCatalog.FindModel(family)!));
    }

    [Theory]
    [InlineData("4.0", "1K,2K,4K", 921_600, 16_777_216, "jpeg", "standard,fast", 0.03)]
    [InlineData("4.5", "2K,4K", 3_686_400, 16_777_216, "jpeg", "standard", 0.04)]
    [InlineData("5.0-lite", "2K,3K", 3_686_400, 10_404_496, "jpeg,png", "standard", 0.035)]
    public void Models_carry_the_contract_figures(string family, string tiers, long minPixels, long maxPixels, string formats, string modes, double price)
    {
        SeedreamModel model = ModelCatalog.FindModel(family)!;
        Assert.Equal(tiers.Split(','), model.SizeTiers.Select(t => t.Name));
        Assert.Equal(minPixels, model.MinPixels);
        Assert.Equal(maxPixels, model.MaxPixels);
        Assert.Equal(formats.Split(','), model.OutputFormats);
        Assert.Equal(modes.Split(','), model.PromptOptimizationModes);
        Assert.Equal((decimal)price, model.PricePerImage);
        Assert.True(model.SupportsStreaming);
        Assert.True(model.SupportsSequence);
        Assert.Equal(1.0 / 16, model.MinAspectRatio);
        Assert.Equal(16, model.MaxAspectRatio);
    }

    [Fact]
    public void The_common_limits_match_the_contract()
    {
        Assert.Equal(15, ModelCatalog.MaxImagesPerRequest);
        Assert.Equal(15, ModelCatalog.MaxReferencesPlusOutputs);
        Assert.Equal(10L * 1024 * 1024, ModelCatalog.MaxReferenceImageBytes);
        Assert.Equal(15, ModelCatalog.MinReferenceImageSide);
        Assert.Equal(36_000_000, ModelCatalog.MaxReferenceImagePixels);
        Assert.Equal(new[] { "png", "jpeg", "webp", "bmp", "tiff", "gif" }, ModelCatalog.ReferenceImageFormats);
        Assert.Equal(TimeSpan.FromHours(24), ModelCatalog.UrlLifetime);
        Assert.Equal("5.0-lite", ModelCatalog.DefaultModelFamily);
        Assert.NotNull(ModelCatalog.FindModel(ModelCatalog.DefaultModelFamily));
    }

    [Fact]
    public void Ids_and_aliases_are_unique_across_the_catalog()
    {
        var ids = ModelCatalog.Models.SelectMany(m => m.AllIds).Concat(ModelCatalog.Models.Select(m => m.Family)).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Every_tier_and_recommended_size_is_accepted_by_its_own_model()
    {
        foreach (SeedreamModel model in ModelCatalog.Models)
        {
            foreach (SizeTier tier in model.SizeTiers)
            {
                Assert.InRange(tier.Pixels, model.MinPixels, model.MaxPixels);
            }

            foreach (string size in model.RecommendedSizes.Concat(model.SizeTiers.Select(t => t.Name)))
            {
                var shape = new RequestShape { Prompt = "p", Model = model, ModelId = model.Id, Size = size };
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
    public void ResolveSize_turns_tiers_and_WxH_into_pixels(string family, string? size, int width, int height)
    {
        Assert.Equal((width, height), RequestRules.ResolveSize(size, ModelCatalog.FindModel(family)));
    }

    [Theory]
    [InlineData("4.5", "1K")]
    [InlineData("4.0", "3K")]
    [InlineData("5.0-lite", "4K")]
    [InlineData(null, "2K")]
    [InlineData(null, "big")]
    public void ResolveSize_is_null_for_a_tier_the_model_lacks_or_an_unknown_model(string? family, string size)
    {
        Assert.Null(RequestRules.ResolveSize(size, family is null ? null : ModelCatalog.FindModel(family)));
    }

    [Fact]
    public void ResolveSize_reads_WxH_for_a_model_the_catalog_does_not_know()
    {
        Assert.Equal((1920, 1080), RequestRules.ResolveSize("1920x1080", null));
    }
}
