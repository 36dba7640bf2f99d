using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedream.Catalog
{
    /// <summary>A named output size a model accepts in place of WxH (for example 2K = 2048x2048).</summary>
    public sealed class SizeTier
    {
        public SizeTier(string name, int width, int height)
        {
            Name = name;
            Width = width;
            Height = height;
        }

        public string Name { get; }
        public int Width { get; }
        public int Height { get; }
        public long Pixels => (long)Width * Height;
        public override string ToString() => Name;
    }

    /// <summary>One Seedream model as the catalog describes it. Immutable; instances live in <see cref="ModelCatalog"/>.</summary>
    public sealed class SeedreamModel
    {
        internal SeedreamModel(
            string family,
            string id,
            IReadOnlyList<string> aliases,
            IReadOnlyList<SizeTier> sizeTiers,
            long minPixels,
            long maxPixels,
            IReadOnlyList<string> outputFormats,
            IReadOnlyList<string> promptOptimizationModes,
            bool supportsStreaming,
            bool supportsSequence,
            decimal pricePerImage,
            IReadOnlyList<string> recommendedSizes)
        {
            Family = family;
            Id = id;
            Aliases = aliases;
            SizeTiers = sizeTiers;
            MinPixels = minPixels;
            MaxPixels = maxPixels;
            OutputFormats = outputFormats;
            PromptOptimizationModes = promptOptimizationModes;
            SupportsStreaming = supportsStreaming;
            SupportsSequence = supportsSequence;
            PricePerImage = pricePerImage;
            RecommendedSizes = recommendedSizes;
        }

        /// <summary>Short name users may type for -Model: 5.0-lite, 4.5, 4.0.</summary>
        public string Family { get; }

        /// <summary>The id APIYI and BytePlus use; Volcengine adds its prefix.</summary>
        public string Id { get; }

        /// <summary>Other ids that name the same model (without any provider prefix).</summary>
        public IReadOnlyList<string> Aliases { get; }

        public IReadOnlyList<SizeTier> SizeTiers { get; }
        public long MinPixels { get; }
        public long MaxPixels { get; }
        public double MinAspectRatio => ModelCatalog.MinAspectRatio;
        public double MaxAspectRatio => ModelCatalog.MaxAspectRatio;
        public IReadOnlyList<string> OutputFormats { get; }
        public IReadOnlyList<string> PromptOptimizationModes { get; }
        public bool SupportsStreaming { get; }
        public bool SupportsSequence { get; }

        /// <summary>Public list price in US dollars per generated image.</summary>
        public decimal PricePerImage { get; }

        /// <summary>WxH sizes the provider recommends for this model's tiers.</summary>
        public IReadOnlyList<string> RecommendedSizes { get; }

        public IEnumerable<string> AllIds => new[] { Id }.Concat(Aliases);

        public SizeTier? FindTier(string name) =>
            SizeTiers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

        public bool SupportsOutputFormat(string format) =>
            OutputFormats.Contains(format, StringComparer.OrdinalIgnoreCase);

        public override string ToString() => Id;
    }

    /// <summary>A service that hosts the Seedream models: where it lives and how it names and limits them.</summary>
    public sealed class SeedreamProvider
    {
        internal SeedreamProvider(string name, Uri baseUri, string modelIdPrefix, int maxReferenceImages, IReadOnlyList<string> apiKeyVariables)
        {
            Name = name;
            BaseUri = baseUri;
            ModelIdPrefix = modelIdPrefix;
            MaxReferenceImages = maxReferenceImages;
            ApiKeyVariables = apiKeyVariables;
        }

        public string Name { get; }
        public Uri BaseUri { get; }

        /// <summary>Prefix the provider puts before the catalog id (Volcengine: "doubao-").</summary>
        public string ModelIdPrefix { get; }

        public int MaxReferenceImages { get; }

        /// <summary>Environment variables read for the key, in order, when none is given or connected.</summary>
        public IReadOnlyList<string> ApiKeyVariables { get; }

        public string ModelIdFor(SeedreamModel model) => ModelIdPrefix + model.Id;

        public override string ToString() => Name;
    }
}
