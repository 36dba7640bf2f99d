using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>Get-SeedreamModel: the model catalog, as the chosen provider names and prices the models.</summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamModel", DefaultParameterSetName = CatalogSet)]
    [OutputType(typeof(SeedreamModelInfo), ParameterSetName = new[] { CatalogSet })]
    public sealed class GetSeedreamModelCommand : PSCmdlet
    {
        private const string CatalogSet = "Catalog";

        /// <summary>Family names, short names or ids; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string[]? Name { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string? Provider { get; set; }

        private SeedreamCatalog? _catalog;
        private SeedreamProvider? _provider;

        protected override void BeginProcessing()
        {
            try
            {
                _catalog = SeedreamConnection.CurrentCatalog();
            }
            catch (CatalogException ex)
            {
                ThrowTerminatingError(SeedreamErrors.CatalogRecord(ex));
            }

            _provider = string.IsNullOrEmpty(Provider)
                ? ConnectionDefaults.Current?.Provider ?? _catalog!.DefaultProvider
                : _catalog!.FindProvider(Provider);
            if (_provider is null)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(Provider),
                    $"'{Provider}' is not a known provider; use one of {string.Join(", ", _catalog!.Providers)}.", Provider));
            }
        }

        protected override void ProcessRecord()
        {
            SeedreamCatalog catalog = _catalog!;
            SeedreamProvider provider = _provider!;
            foreach (string pattern in Name ?? new[] { "*" })
            {
                var wildcard = WildcardPattern.Get(pattern.Trim(), WildcardOptions.IgnoreCase);
                var matches = new List<SeedreamModelInfo>();
                foreach (SeedreamModel model in catalog.ModelsOn(provider))
                {
                    ModelOffer offer = model.OfferOn(provider)!;
                    if (model.Names.Any(wildcard.IsMatch) || offer.Ids.Any(wildcard.IsMatch) || model.AllIds.Any(wildcard.IsMatch))
                    {
                        matches.Add(new SeedreamModelInfo(model, offer, catalog, null));
                    }
                }

                foreach (CatalogEndpoint endpoint in catalog.Endpoints.Where(e => e.Provider == provider && (wildcard.IsMatch(e.Id) || e.Model.Names.Any(wildcard.IsMatch))))
                {
                    matches.Add(new SeedreamModelInfo(endpoint.Model, endpoint.Model.OfferOn(provider)!, catalog, endpoint));
                }

                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    SeedreamModel? elsewhere = catalog.FindModel(pattern);
                    string message = elsewhere != null
                        ? $"Model '{pattern}' ({elsewhere.Family}) is not offered on {provider.Name}; it is on {string.Join(", ", elsewhere.Offers.Select(o => o.Provider.Name))}."
                        : $"No model '{pattern}' in the catalog for {provider.Name}." +
                          (catalog.Suggest(pattern, provider) is { Count: > 0 } near ? $" Did you mean {string.Join(", ", near)}?" : "") +
                          $" Known: {string.Join(", ", catalog.ModelsOn(provider).Select(m => m.Family))}.";
                    WriteError(new ErrorRecord(new ItemNotFoundException(message), "Seedream.ModelNotInCatalog", ErrorCategory.ObjectNotFound, pattern));
                }

                foreach (SeedreamModelInfo info in matches)
                {
                    WriteObject(info);
                }
            }
        }
    }

    /// <summary>A catalog model as one provider offers it: its ids, status, limits, accepted fields and price there.</summary>
    public sealed class SeedreamModelInfo
    {
        internal SeedreamModelInfo(SeedreamModel model, ModelOffer offer, SeedreamCatalog catalog, CatalogEndpoint? endpoint)
        {
            Family = model.Family;
            Names = model.Names.ToArray();
            Id = endpoint?.Id ?? offer.Id;
            Aliases = endpoint is null ? offer.Aliases.ToArray() : Array.Empty<string>();
            IsEndpoint = endpoint != null;
            Provider = offer.Provider.Name;
            Status = offer.Status.State.ToString();
            StatusDate = offer.Status.Date;
            StatusNote = offer.Status.Note;
            Released = model.Released;
            SizeTiers = model.SizeTiers.Select(t => t.Name).ToArray();
            DefaultSize = model.DefaultSize;
            MinPixels = model.MinPixels;
            MaxPixels = model.MaxPixels;
            MinAspectRatio = model.MinAspectRatio;
            MaxAspectRatio = model.MaxAspectRatio;
            RecommendedSizes = model.RecommendedSizes.ToArray();
            OutputFormats = model.OutputFormats.ToArray();
            PromptOptimizationModes = model.PromptOptimizationModes.ToArray();
            ThinkingModes = model.Thinking?.Modes.ToArray() ?? Array.Empty<string>();
            BackgroundModes = model.Background?.Modes.ToArray() ?? Array.Empty<string>();
            MaxLayers = model.LayerDecomposition?.MaxLayers;
            SupportsStreaming = model.SupportsStreaming;
            SupportsSequence = model.SupportsSequence;
            MaxReferenceImages = offer.MaxReferenceImages;
            MaxImagesPerRequest = model.SupportsSequence ? catalog.Limits.MaxImagesPerRequest : 1;
            ReferenceImageFormats = model.ReferenceImages.Formats.ToArray();
            MaxReferenceImageBytes = model.ReferenceImages.MaxBytes;
            SuggestedTimeoutSec = model.SuggestedTimeout is TimeSpan t ? (int)t.TotalSeconds : (int?)null;
            Latency = model.Latency;
            PriceRule = offer.Price;
            Price = offer.Price.ShortText;
            PricePerImage = offer.Price.OneImage(model.DefaultPixels);
            Source = endpoint?.Source ?? model.Source;
        }

        public string Family { get; }

        /// <summary>Every short name -Model takes for it (5.0-lite, lite).</summary>
        public string[] Names { get; }

        /// <summary>The id sent on this provider (or the endpoint id).</summary>
        public string Id { get; }

        /// <summary>Other ids this provider takes for the same model.</summary>
        public string[] Aliases { get; }

        /// <summary>True for an endpoint id (ep-...) that a user's catalog maps to the model.</summary>
        public bool IsEndpoint { get; }

        public string Provider { get; }

        /// <summary>Live, Retiring or Retired on this provider.</summary>
        public string Status { get; }

        /// <summary>When it was (Retired) or will be (Retiring) switched off.</summary>
        public DateTimeOffset? StatusDate { get; }

        public string? StatusNote { get; }
        public string? Released { get; }
        public string[] SizeTiers { get; }
        public string? DefaultSize { get; }
        public long MinPixels { get; }
        public long MaxPixels { get; }
        public double MinAspectRatio { get; }
        public double MaxAspectRatio { get; }
        public string[] RecommendedSizes { get; }
        public string[] OutputFormats { get; }
        public string[] PromptOptimizationModes { get; }
        public string[] ThinkingModes { get; }
        public string[] BackgroundModes { get; }

        /// <summary>The layer cap of layer decomposition; null when the model does not decompose.</summary>
        public int? MaxLayers { get; }

        public bool SupportsStreaming { get; }
        public bool SupportsSequence { get; }
        public int MaxReferenceImages { get; }
        public int MaxImagesPerRequest { get; }
        public string[] ReferenceImageFormats { get; }
        public long MaxReferenceImageBytes { get; }

        /// <summary>The client time-out the provider advises; null when the usual one is enough.</summary>
        public int? SuggestedTimeoutSec { get; }

        public string? Latency { get; }

        /// <summary>The price rule on this provider (US dollars, list price); its text states every part.</summary>
        public PriceRule PriceRule { get; }

        /// <summary>The rule in short: $0.035, $0.020-0.035 +$0.008/ref, $0.12/request.</summary>
        public string Price { get; }

        /// <summary>US dollars for one image at the default size without references (list price).</summary>
        public decimal PricePerImage { get; }

        /// <summary>The catalog file the entry comes from.</summary>
        public string Source { get; }

        public override string ToString() => Id;
    }
}
