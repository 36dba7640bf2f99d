using System;
using System.Collections.Generic;
using System.Globalization;
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

        /// <summary>The tier as the API spells it (upper-case K: 1K, 1.5K, 2K).</summary>
        public string Name { get; }

        public int Width { get; }
        public int Height { get; }
        public long Pixels => (long)Width * Height;
        public override string ToString() => Name;
    }

    /// <summary>The rules for one reference image: formats, bytes, pixels and the shortest side.</summary>
    public sealed class ReferenceImageLimits
    {
        public ReferenceImageLimits(IReadOnlyList<string> formats, long maxBytes, long maxPixels, int minSide)
        {
            Formats = formats;
            MaxBytes = maxBytes;
            MaxPixels = maxPixels;
            MinSide = minSide;
        }

        /// <summary>Lower-case format names as in a data URI (png, jpeg, ..., heic on 5.0 Pro).</summary>
        public IReadOnlyList<string> Formats { get; }

        public long MaxBytes { get; }
        public long MaxPixels { get; }

        /// <summary>The smallest width or height accepted (the API says "over 14 px": 15).</summary>
        public int MinSide { get; }

        public bool AcceptsFormat(string format) => Formats.Contains(format, StringComparer.Ordinal);
    }

    /// <summary>optimize_prompt_options.thinking: its values, and those allowed only without reference images.</summary>
    public sealed class ThinkingRules
    {
        public ThinkingRules(IReadOnlyList<string> modes, IReadOnlyList<string> withoutReferencesOnly)
        {
            Modes = modes;
            WithoutReferencesOnly = withoutReferencesOnly;
        }

        public IReadOnlyList<string> Modes { get; }
        public IReadOnlyList<string> WithoutReferencesOnly { get; }
    }

    /// <summary>What a transparent background needs besides the mode: an output format, and on some models one reference of a kind.</summary>
    public sealed class TransparentBackgroundRules
    {
        public TransparentBackgroundRules(string? outputFormat, int? referenceCount, string? referenceFormat, bool referenceAlpha)
        {
            OutputFormat = outputFormat;
            ReferenceCount = referenceCount;
            ReferenceFormat = referenceFormat;
            ReferenceAlpha = referenceAlpha;
        }

        /// <summary>The output_format a transparent image needs (png); null when any is fine.</summary>
        public string? OutputFormat { get; }

        /// <summary>Exactly this many reference images (5.0 Pro: one); null when any number is fine.</summary>
        public int? ReferenceCount { get; }

        /// <summary>The format those references must have (png); null when any.</summary>
        public string? ReferenceFormat { get; }

        /// <summary>Whether those references must carry an alpha channel.</summary>
        public bool ReferenceAlpha { get; }
    }

    /// <summary>The background field: its modes and what transparent needs. Never sent with layer decomposition.</summary>
    public sealed class BackgroundRules
    {
        public BackgroundRules(IReadOnlyList<string> modes, TransparentBackgroundRules? transparent)
        {
            Modes = modes;
            Transparent = transparent;
        }

        public IReadOnlyList<string> Modes { get; }
        public TransparentBackgroundRules? Transparent { get; }
    }

    /// <summary>layer_decomposition: the layer cap and the rules for its one input image.</summary>
    public sealed class LayerDecompositionRules
    {
        public LayerDecompositionRules(int maxLayers, int minInputSide, long maxInputBytes, IReadOnlyList<string> inputFormats, IReadOnlyList<string> extraSizes)
        {
            MaxLayers = maxLayers;
            MinInputSide = minInputSide;
            MaxInputBytes = maxInputBytes;
            InputFormats = inputFormats;
            ExtraSizes = extraSizes;
        }

        /// <summary>The most layers an answer holds (besides the base image); each is billed as an image.</summary>
        public int MaxLayers { get; }

        public int MinInputSide { get; }
        public long MaxInputBytes { get; }
        public IReadOnlyList<string> InputFormats { get; }

        /// <summary>Size values allowed only with layer decomposition (auto: follow the input).</summary>
        public IReadOnlyList<string> ExtraSizes { get; }
    }

    /// <summary>Live, retiring (still served, switch-off announced or reported) or retired (switched off).</summary>
    public enum ModelState
    {
        Live,
        Retiring,
        Retired,
    }

    /// <summary>A model's state on one provider, with the date and what is known about it.</summary>
    public sealed class ModelStatus
    {
        public static readonly ModelStatus Live = new ModelStatus(ModelState.Live, null, null);

        public ModelStatus(ModelState state, DateTimeOffset? date, string? note)
        {
            State = state;
            Date = date;
            Note = note;
        }

        public ModelState State { get; }

        /// <summary>When it was (retired) or will be (retiring) switched off.</summary>
        public DateTimeOffset? Date { get; }

        public string? Note { get; }

        /// <summary>The date as the provider announced it, with its UTC offset (2026-11-24 14:00 +08:00).</summary>
        public string DateText => Date is DateTimeOffset d
            ? (d.TimeOfDay == TimeSpan.Zero && d.Offset == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture))
            : "";

        public override string ToString() => State == ModelState.Live ? "Live" : $"{State} {DateText}".Trim();
    }

    /// <summary>One step of a per-image price: images up to <see cref="MaxPixels"/> output pixels cost <see cref="Usd"/>.</summary>
    public sealed class PriceStep
    {
        public PriceStep(long? maxPixels, decimal usd)
        {
            MaxPixels = maxPixels;
            Usd = usd;
        }

        /// <summary>Null for the last step (everything above the previous one).</summary>
        public long? MaxPixels { get; }

        public decimal Usd { get; }
    }

    /// <summary>
    /// A price rule of a model on a provider, in US dollars (public list prices): a price per image (flat, or by the
    /// output's pixels), a surcharge per reference image from the Nth one, and a price per request. Any part may be absent.
    /// A request costs PerRequest + images x the image price + references from the Nth x PerReference.
    /// </summary>
    public sealed class PriceRule
    {
        public PriceRule(IReadOnlyList<PriceStep> perImage, decimal? perReference, int perReferenceFrom, decimal? perRequest, string? note)
        {
            PerImage = perImage;
            PerReference = perReference;
            PerReferenceFrom = perReferenceFrom;
            PerRequest = perRequest;
            Note = note;
        }

        /// <summary>Ascending by pixels; empty when only the request is priced.</summary>
        public IReadOnlyList<PriceStep> PerImage { get; }

        public decimal? PerReference { get; }

        /// <summary>The first reference (1-based) that costs <see cref="PerReference"/> (5.0 Pro on BytePlus: from the second).</summary>
        public int PerReferenceFrom { get; }

        public decimal? PerRequest { get; }
        public string? Note { get; }

        /// <summary>The price of one image of this many pixels; the highest step when the size is not known.</summary>
        public decimal ImagePrice(long? pixels)
        {
            if (PerImage.Count == 0)
            {
                return 0m;
            }

            if (pixels is long known)
            {
                foreach (PriceStep step in PerImage)
                {
                    if (step.MaxPixels is null || known <= step.MaxPixels)
                    {
                        return step.Usd;
                    }
                }
            }

            return PerImage[PerImage.Count - 1].Usd;
        }

        /// <summary>What the references of one request add.</summary>
        public decimal ReferenceCharge(int references) =>
            PerReference is decimal each ? each * Math.Max(0, references - PerReferenceFrom + 1) : 0m;

        /// <summary>The part of a request's price that does not depend on how many images it makes.</summary>
        public decimal RequestCharge(int references) => (PerRequest ?? 0m) + ReferenceCharge(references);

        /// <summary>What one request costs for <paramref name="images"/> images of <paramref name="pixels"/> pixels each.</summary>
        public decimal Estimate(int images, long? pixels, int references) =>
            RequestCharge(references) + (images * ImagePrice(pixels));

        /// <summary>The price of one plain image (no references) at the given size: the figure users compare.</summary>
        public decimal OneImage(long? pixels) => Estimate(1, pixels, 0);

        /// <summary>How <see cref="Estimate"/> adds up, in words: "1 image x $0.035 + 2 references x $0.008".</summary>
        public string Breakdown(int images, long? pixels, int references)
        {
            var parts = new List<string>();
            if (PerRequest is decimal request)
            {
                parts.Add($"{Money(request)} a request");
            }

            if (PerImage.Count > 0)
            {
                parts.Add($"{images} image(s) x {Money(ImagePrice(pixels))}");
            }

            int charged = PerReference is null ? 0 : Math.Max(0, references - PerReferenceFrom + 1);
            if (charged > 0)
            {
                parts.Add($"{charged} reference(s) x {Money(PerReference!.Value)}" + (PerReferenceFrom > 1 ? $" (from the {Ordinal(PerReferenceFrom)})" : ""));
            }

            return string.Join(" + ", parts) + (Note is null ? "" : $" ({Note})");
        }

        /// <summary>A short form for a table column ($0.020-0.035 +$0.008/ref; $0.12/request).</summary>
        public string ShortText
        {
            get
            {
                var parts = new List<string>();
                if (PerImage.Count > 0)
                {
                    decimal low = PerImage.Min(s => s.Usd), high = PerImage.Max(s => s.Usd);
                    parts.Add(low == high ? Money(low) : $"{Money(low)}-{Money(high).Substring(1)}");
                }

                if (PerRequest is decimal request)
                {
                    parts.Add($"{Money(request)}/request");
                }

                if (PerReference is decimal reference)
                {
                    parts.Add($"+{Money(reference)}/ref" + (PerReferenceFrom > 1 ? $">{PerReferenceFrom - 1}" : ""));
                }

                return parts.Count == 0 ? "free" : string.Join(" ", parts);
            }
        }

        /// <summary>The whole rule in words.</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (PerImage.Count == 1)
            {
                parts.Add($"{Money(PerImage[0].Usd)} an image");
            }
            else if (PerImage.Count > 1)
            {
                var steps = new List<string>();
                for (int i = 0; i < PerImage.Count; i++)
                {
                    PriceStep step = PerImage[i];
                    steps.Add(step.MaxPixels is long max ? $"{Money(step.Usd)} an image up to {max.ToString("N0", CultureInfo.InvariantCulture)} px" : $"{Money(step.Usd)} above");
                }

                parts.Add(string.Join(", ", steps));
            }

            if (PerRequest is decimal request)
            {
                parts.Add($"{Money(request)} a request");
            }

            if (PerReference is decimal reference)
            {
                parts.Add($"+ {Money(reference)} per reference" + (PerReferenceFrom > 1 ? $" from the {Ordinal(PerReferenceFrom)}" : ""));
            }

            string text = parts.Count == 0 ? "free" : string.Join("; ", parts);
            return Note is null ? text : $"{text} ({Note})";
        }

        /// <summary>US dollars as the price lists write them: $0.035, $0.02, $0.12 (invariant culture).</summary>
        public static string Money(decimal usd) => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture);

        private static string Ordinal(int n) => n switch
        {
            2 => "second",
            3 => "third",
            _ => n.ToString(CultureInfo.InvariantCulture) + "th",
        };
    }

    /// <summary>A model as one provider offers it: its ids there (the first is sent), its reference limit, status and price.</summary>
    public sealed class ModelOffer
    {
        public ModelOffer(SeedreamProvider provider, IReadOnlyList<string> ids, int maxReferenceImages, ModelStatus status, PriceRule price)
        {
            Provider = provider;
            Ids = ids;
            MaxReferenceImages = maxReferenceImages;
            Status = status;
            Price = price;
        }

        public SeedreamProvider Provider { get; }

        /// <summary>Every id the provider takes for the model; the first is the one the module sends.</summary>
        public IReadOnlyList<string> Ids { get; }

        public string Id => Ids[0];
        public IEnumerable<string> Aliases => Ids.Skip(1);
        public int MaxReferenceImages { get; }
        public ModelStatus Status { get; }
        public PriceRule Price { get; }

        /// <summary>The catalog's spelling of <paramref name="id"/> when the provider takes it (any case), else null.</summary>
        public string? Spelling(string id) => Ids.FirstOrDefault(i => string.Equals(i, id, StringComparison.OrdinalIgnoreCase));

        public override string ToString() => Id;
    }

    /// <summary>
    /// One Seedream model as the catalog describes it (src/Seedream/Catalog/catalog.json, and a user's catalog on top).
    /// Immutable; every per-model fact the module uses is here, none in code.
    /// </summary>
    public sealed class SeedreamModel
    {
        internal SeedreamModel(
            string family,
            IReadOnlyList<string> names,
            string? released,
            IReadOnlyList<SizeTier> sizeTiers,
            long minPixels,
            long maxPixels,
            string? defaultSize,
            IReadOnlyList<string> recommendedSizes,
            IReadOnlyList<string> outputFormats,
            ReferenceImageLimits referenceImages,
            bool supportsSequence,
            bool supportsStreaming,
            IReadOnlyList<string> promptOptimizationModes,
            ThinkingRules? thinking,
            BackgroundRules? background,
            LayerDecompositionRules? layerDecomposition,
            TimeSpan? suggestedTimeout,
            string? latency,
            IReadOnlyList<ModelOffer> offers,
            string source)
        {
            Family = family;
            Names = names;
            Released = released;
            SizeTiers = sizeTiers;
            MinPixels = minPixels;
            MaxPixels = maxPixels;
            DefaultSize = defaultSize;
            RecommendedSizes = recommendedSizes;
            OutputFormats = outputFormats;
            ReferenceImages = referenceImages;
            SupportsSequence = supportsSequence;
            SupportsStreaming = supportsStreaming;
            PromptOptimizationModes = promptOptimizationModes;
            Thinking = thinking;
            Background = background;
            LayerDecomposition = layerDecomposition;
            SuggestedTimeout = suggestedTimeout;
            Latency = latency;
            Offers = offers;
            Source = source;
        }

        /// <summary>The model's name in the catalog (5.5, 5.0-pro, 4.5); users may type it for -Model.</summary>
        public string Family { get; }

        /// <summary>Every short name users may type for -Model (the family first; lite for 5.0-lite, pro, flash).</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>Year and month of release (2026-11), as the contract gives it.</summary>
        public string? Released { get; }

        public IReadOnlyList<SizeTier> SizeTiers { get; }
        public long MinPixels { get; }
        public long MaxPixels { get; }

        /// <summary>The size the API uses when none is sent (used for cost estimates).</summary>
        public string? DefaultSize { get; }

        /// <summary>WxH sizes worth suggesting for this model's tiers.</summary>
        public IReadOnlyList<string> RecommendedSizes { get; }

        /// <summary>output_format values; the first is the API's default.</summary>
        public IReadOnlyList<string> OutputFormats { get; }

        public string DefaultOutputFormat => OutputFormats[0];
        public ReferenceImageLimits ReferenceImages { get; }

        /// <summary>Whether the model takes sequential_image_generation at all (the newest refuse it in any value).</summary>
        public bool SupportsSequence { get; }

        /// <summary>Whether the model takes stream.</summary>
        public bool SupportsStreaming { get; }

        public IReadOnlyList<string> PromptOptimizationModes { get; }
        public ThinkingRules? Thinking { get; }
        public BackgroundRules? Background { get; }
        public LayerDecompositionRules? LayerDecomposition { get; }

        /// <summary>The client time-out the provider advises for this model's latency, when it is longer than usual.</summary>
        public TimeSpan? SuggestedTimeout { get; }

        /// <summary>Typical generation time as the provider states it (12-35 s).</summary>
        public string? Latency { get; }

        /// <summary>The providers that list the model, in catalog order.</summary>
        public IReadOnlyList<ModelOffer> Offers { get; }

        /// <summary>Where the entry came from: the shipped catalog, or a user's file that added or changed it.</summary>
        public string Source { get; }

        public double MinAspectRatio => 1.0 / ModelCatalog.MaxAspectRatio;
        public double MaxAspectRatio => ModelCatalog.MaxAspectRatio;

        /// <summary>The model on <paramref name="provider"/>; null when that provider does not list it.</summary>
        public ModelOffer? OfferOn(SeedreamProvider provider) =>
            Offers.FirstOrDefault(o => string.Equals(o.Provider.Name, provider.Name, StringComparison.OrdinalIgnoreCase));

        /// <summary>Every id of the model on any provider.</summary>
        public IEnumerable<string> AllIds => Offers.SelectMany(o => o.Ids).Distinct(StringComparer.OrdinalIgnoreCase);

        public SizeTier? FindTier(string name) =>
            SizeTiers.FirstOrDefault(t => string.Equals(t.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

        public bool SupportsOutputFormat(string format) =>
            OutputFormats.Contains(format, StringComparer.OrdinalIgnoreCase);

        /// <summary>The pixels of the default size (for cost estimates when no size is given).</summary>
        public long? DefaultPixels => DefaultSize is null ? null : RequestRules.ResolveSize(DefaultSize, this) is { } d ? (long)d.Width * d.Height : (long?)null;

        public override string ToString() => Family;
    }

    /// <summary>A service that hosts the Seedream models: where it lives, its key variables and its default model.</summary>
    public sealed class SeedreamProvider
    {
        internal SeedreamProvider(string name, Uri baseUri, IReadOnlyList<string> apiKeyVariables, string defaultModel, string? defaultModelReason, bool listsModels,
            bool isSimulated = false)
        {
            IsSimulated = isSimulated;
            Name = name;
            BaseUri = baseUri;
            ApiKeyVariables = apiKeyVariables;
            DefaultModel = defaultModel;
            DefaultModelReason = defaultModelReason;
            ListsModels = listsModels;
        }

        public string Name { get; }
        public Uri BaseUri { get; }

        /// <summary>Environment variables read for the key, in order, when none is given or connected.</summary>
        public IReadOnlyList<string> ApiKeyVariables { get; }

        /// <summary>The family used when -Model is not given.</summary>
        public string DefaultModel { get; }

        /// <summary>Why that default (for help and -Verbose).</summary>
        public string? DefaultModelReason { get; }

        /// <summary>Whether GET {base}/models exists there (Get-SeedreamModel -Online).</summary>
        public bool ListsModels { get; }

        /// <summary>
        /// The module's own simulator (src/Seedream/Simulator): answered in process, no key, no network, nothing billed;
        /// its results say they are simulated.
        /// </summary>
        public bool IsSimulated { get; }

        public override string ToString() => Name;
    }

    /// <summary>A provider endpoint id (BytePlus ep-...) mapped by a user's catalog to the model behind it.</summary>
    public sealed class CatalogEndpoint
    {
        internal CatalogEndpoint(string id, SeedreamProvider provider, SeedreamModel model, string source)
        {
            Id = id;
            Provider = provider;
            Model = model;
            Source = source;
        }

        public string Id { get; }
        public SeedreamProvider Provider { get; }
        public SeedreamModel Model { get; }
        public string Source { get; }
        public override string ToString() => Id;
    }

    /// <summary>The rules every model shares (and the only ones checked for a model the catalog does not know).</summary>
    public sealed class CommonLimits
    {
        internal CommonLimits(int maxImagesPerRequest, int maxReferencesPlusOutputs, int maxAspectRatio, TimeSpan urlLifetime, ReferenceImageLimits referenceImages)
        {
            MaxImagesPerRequest = maxImagesPerRequest;
            MaxReferencesPlusOutputs = maxReferencesPlusOutputs;
            MaxAspectRatio = maxAspectRatio;
            UrlLifetime = urlLifetime;
            ReferenceImages = referenceImages;
        }

        public int MaxImagesPerRequest { get; }
        public int MaxReferencesPlusOutputs { get; }

        /// <summary>Width / height and height / width at most this (16): whole numbers, so the edges are exact.</summary>
        public int MaxAspectRatio { get; }

        public TimeSpan UrlLifetime { get; }
        public ReferenceImageLimits ReferenceImages { get; }
    }
}
