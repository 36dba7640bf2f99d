using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedream.Catalog
{
    /// <summary>
    /// Every fact the module knows about models and providers, as data in one place.
    /// Figures come from shared/API-CONTRACT.md; change them here and nowhere else.
    /// </summary>
    public static class ModelCatalog
    {
        public const string DefaultProviderName = "APIYI";
        public const string DefaultModelFamily = "5.0-lite";

        /// <summary>Rules every model shares (and the only ones checked for a model the catalog does not know).</summary>
        public const double MinAspectRatio = 1.0 / 16;
        public const double MaxAspectRatio = 16;

        /// <summary>The aspect limit 16/1 as a fraction, for exact whole-number comparisons.</summary>
        public const int MaxAspectRatioNumerator = 16;
        public const int MaxAspectRatioDenominator = 1;
        public const int MaxImagesPerRequest = 15;
        public const int MaxReferencesPlusOutputs = 15;
        public const long MaxReferenceImageBytes = 10L * 1024 * 1024;
        public const int MinReferenceImageSide = 15;
        public const long MaxReferenceImagePixels = 36_000_000;
        public static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(24);
        public static readonly IReadOnlyList<string> ReferenceImageFormats = new[] { "png", "jpeg", "webp", "bmp", "tiff", "gif" };

        private static readonly SizeTier Tier1K = new SizeTier("1K", 1024, 1024);
        private static readonly SizeTier Tier2K = new SizeTier("2K", 2048, 2048);
        private static readonly SizeTier Tier3K = new SizeTier("3K", 3072, 3072);
        private static readonly SizeTier Tier4K = new SizeTier("4K", 4096, 4096);

        private static readonly string[] Recommended2K = { "2048x2048", "2304x1728", "2848x1600", "2496x1664", "3136x1344" };
        private static readonly string[] Recommended3K = { "3072x3072", "3456x2592", "4096x2304", "3744x2496", "4704x2016" };
        private static readonly string[] Recommended4K = { "4096x4096", "4704x3520", "5504x3040", "4992x3328", "6240x2656" };

        public static IReadOnlyList<SeedreamModel> Models { get; } = new[]
        {
            // 4K on 5.0 lite is unconfirmed and its WxH ceiling (10,404,496 px) is below 4096x4096: left out until confirmed.
            new SeedreamModel(
                family: "5.0-lite", id: "seedream-5-0-260128", aliases: new[] { "seedream-5-0-lite-260128" },
                sizeTiers: new[] { Tier2K, Tier3K }, minPixels: 3_686_400, maxPixels: 10_404_496,
                outputFormats: new[] { "jpeg", "png" }, promptOptimizationModes: new[] { "standard" },
                supportsStreaming: true, supportsSequence: true, pricePerImage: 0.035m,
                recommendedSizes: Recommended2K.Concat(Recommended3K).ToArray()),
            new SeedreamModel(
                family: "4.5", id: "seedream-4-5-251128", aliases: Array.Empty<string>(),
                sizeTiers: new[] { Tier2K, Tier4K }, minPixels: 3_686_400, maxPixels: 16_777_216,
                outputFormats: new[] { "jpeg" }, promptOptimizationModes: new[] { "standard" },
                supportsStreaming: true, supportsSequence: true, pricePerImage: 0.04m,
                recommendedSizes: Recommended2K.Concat(Recommended4K).ToArray()),
            new SeedreamModel(
                family: "4.0", id: "seedream-4-0-250828", aliases: Array.Empty<string>(),
                sizeTiers: new[] { Tier1K, Tier2K, Tier4K }, minPixels: 921_600, maxPixels: 16_777_216,
                outputFormats: new[] { "jpeg" }, promptOptimizationModes: new[] { "standard", "fast" },
                supportsStreaming: true, supportsSequence: true, pricePerImage: 0.03m,
                recommendedSizes: Recommended2K.Concat(Recommended4K).ToArray()),
        };

        public static IReadOnlyList<SeedreamProvider> Providers { get; } = new[]
        {
            new SeedreamProvider("APIYI", new Uri("https://api.apiyi.com/v1"), "", 10, new[] { "SEEDREAM_API_KEY" }),
            new SeedreamProvider("BytePlus", new Uri("https://ark.ap-southeast.bytepluses.com/api/v3"), "", 14, new[] { "ARK_API_KEY", "SEEDREAM_API_KEY" }),
            new SeedreamProvider("Volcengine", new Uri("https://ark.cn-beijing.volces.com/api/v3"), "doubao-", 14, new[] { "ARK_API_KEY", "SEEDREAM_API_KEY" }),
        };

        public static SeedreamProvider DefaultProvider => FindProvider(DefaultProviderName)!;

        public static SeedreamProvider? FindProvider(string? name) =>
            Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Finds the model a user's -Model value means: a family name (4.5), a catalog id or alias,
        /// or either with any provider's prefix (doubao-seedream-4-5-251128). Null for ids the catalog does not know.
        /// </summary>
        public static SeedreamModel? FindModel(string? nameOrId)
        {
            if (string.IsNullOrWhiteSpace(nameOrId))
            {
                return null;
            }

            string value = nameOrId!.Trim();
            foreach (SeedreamModel model in Models)
            {
                if (string.Equals(model.Family, value, StringComparison.OrdinalIgnoreCase))
                {
                    return model;
                }

                foreach (string id in model.AllIds)
                {
                    if (string.Equals(id, value, StringComparison.OrdinalIgnoreCase) ||
                        Providers.Any(p => p.ModelIdPrefix.Length > 0 && string.Equals(p.ModelIdPrefix + id, value, StringComparison.OrdinalIgnoreCase)))
                    {
                        return model;
                    }
                }
            }

            return null;
        }

        /// <summary>True when the value is a family short name rather than a full id.</summary>
        public static bool IsFamilyName(string value) =>
            Models.Any(m => string.Equals(m.Family, value, StringComparison.OrdinalIgnoreCase));
    }
}
