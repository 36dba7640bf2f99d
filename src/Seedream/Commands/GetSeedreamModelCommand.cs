using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedream.Api;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>
    /// Get-SeedreamModel: the model catalog, as the chosen provider names and prices the models; with -Online, beside
    /// it what the provider's own listing (GET {base}/models) reports live, retiring or shut down, and what it serves that
    /// the catalog does not know. Only -Online sends a request (free; no other command asks for the listing).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamModel", DefaultParameterSetName = CatalogSet)]
    [OutputType(typeof(SeedreamModelInfo), ParameterSetName = new[] { CatalogSet })]
    [OutputType(typeof(SeedreamModelStatus), ParameterSetName = new[] { OnlineSet })]
    public sealed class GetSeedreamModelCommand : ApiCmdlet
    {
        private const string CatalogSet = "Catalog";
        private const string OnlineSet = "Online";
        private readonly List<string> _patterns = new List<string>();

        /// <summary>Family names, short names or ids; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Asks the provider which models it serves now (GET {base}/models), and compares with the catalog.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OnlineSet)]
        public SwitchParameter Online { get; set; }

        private SeedreamCatalog? _catalog;
        private SeedreamProvider? _provider;

        protected override bool ResolvesConnectionAtStart => Online.IsPresent;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            try
            {
                _catalog = SeedreamConnection.CurrentCatalog();
            }
            catch (CatalogException ex)
            {
                ThrowTerminatingError(SeedreamErrors.CatalogRecord(ex));
            }

            _provider = Online.IsPresent
                ? ProviderInfo
                : string.IsNullOrEmpty(Provider) ? ConnectionDefaults.Current?.Provider ?? _catalog!.DefaultProvider : _catalog!.FindProvider(Provider);
            if (_provider is null)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(Provider),
                    $"'{Provider}' is not a known provider; use one of {string.Join(", ", _catalog!.Providers)}.", Provider));
            }

            if (Online.IsPresent && !_provider!.ListsModels)
            {
                ThrowTerminatingError(SeedreamErrors.Record(
                    new InvalidOperationException($"{_provider.Name} has no model listing (GET {{base}}/models); Get-SeedreamModel without -Online shows the catalog, " +
                                                  $"and a request for a switched-off model is answered 404. Listings: {string.Join(", ", _catalog!.Providers.Where(p => p.ListsModels))}."),
                    "Seedream.NoModelListing", ErrorCategory.InvalidOperation, _provider.Name));
            }
        }

        protected override void ProcessRecord()
        {
            if (Online.IsPresent)
            {
                _patterns.AddRange(Name ?? new[] { "*" });
                return;
            }

            foreach (string pattern in Name ?? new[] { "*" })
            {
                WriteCatalogMatches(pattern);
            }
        }

        protected override void EndProcessing()
        {
            if (Online.IsPresent)
            {
                StartOnline();
            }

            base.EndProcessing();
        }

        private void WriteCatalogMatches(string pattern)
        {
            SeedreamCatalog catalog = _catalog!;
            SeedreamProvider provider = _provider!;
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

        /// <summary>One GET {base}/models; the catalog's models on the provider beside what it lists, then what only it lists.</summary>
        private void StartOnline()
        {
            SeedreamCatalog catalog = _catalog!;
            SeedreamProvider provider = _provider!;
            var patterns = _patterns.Select(p => WildcardPattern.Get(p.Trim(), WildcardOptions.IgnoreCase)).ToList();
            bool Wanted(IEnumerable<string> names) => patterns.Any(w => names.Any(w.IsMatch));
            var client = new SeedreamClient(HttpClientCache.Get(ConnectionSettings), CreateClientOptions());
            StartWork(async (sink, cancellationToken) =>
            {
                sink.WriteVerbose($"GET {client.ModelsUri}: the models {provider.Name} lists for this account.");
                ModelListing listing = await client.ListModelsAsync(cancellationToken).ConfigureAwait(false);
                sink.WriteVerbose($"{provider.Name} lists {listing.Models.Count} model(s) (request id {listing.RequestId ?? "(none)"}).");
                var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (SeedreamModel model in catalog.ModelsOn(provider))
                {
                    ModelOffer offer = model.OfferOn(provider)!;
                    known.UnionWith(offer.Ids);
                    if (!Wanted(model.Names.Concat(offer.Ids)))
                    {
                        continue;
                    }

                    ListedModel? listed = listing.Models.FirstOrDefault(l => offer.Ids.Any(id => string.Equals(id, l.Id, StringComparison.OrdinalIgnoreCase)));
                    sink.WriteObject(SeedreamModelStatus.Compare(provider, model, offer, listed));
                }

                foreach (ListedModel listed in listing.Models.Where(l => !known.Contains(l.Id) && Wanted(new[] { l.Id })))
                {
                    sink.WriteObject(SeedreamModelStatus.Unknown(provider, listed, catalog.FindModel(listed.Id)));
                }
            }, provider.Name);
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

    /// <summary>One model as Get-SeedreamModel -Online sees it: the catalog's status beside the provider's listing.</summary>
    public sealed class SeedreamModelStatus
    {
        private SeedreamModelStatus(string provider, string id, string? family, string catalogStatus, string providerStatus, DateTimeOffset? retiredOn,
            IReadOnlyList<string> taskTypes, DateTimeOffset? created, bool agrees, string note)
        {
            Provider = provider;
            Id = id;
            Family = family;
            CatalogStatus = catalogStatus;
            ProviderStatus = providerStatus;
            CatalogDate = retiredOn;
            TaskTypes = taskTypes.ToArray();
            Created = created;
            Agrees = agrees;
            Note = note;
        }

        public const string NotInCatalog = "NotInCatalog";
        public const string NotListed = "NotListed";

        public string Provider { get; }
        public string Id { get; }

        /// <summary>The catalog's family; null for an id the catalog does not know.</summary>
        public string? Family { get; }

        /// <summary>Live, Retiring, Retired, or NotInCatalog.</summary>
        public string CatalogStatus { get; }

        /// <summary>Live, Retiring, Shutdown (as the listing says), or NotListed.</summary>
        public string ProviderStatus { get; }

        /// <summary>The catalog's retirement date on this provider, where it has one.</summary>
        public DateTimeOffset? CatalogDate { get; }

        public string[] TaskTypes { get; }

        /// <summary>When the provider says the model was created (listed models only).</summary>
        public DateTimeOffset? Created { get; }

        /// <summary>True when the catalog and the provider say the same.</summary>
        public bool Agrees { get; }

        /// <summary>What to make of it, in words.</summary>
        public string Note { get; }

        public override string ToString() => $"{Id}: catalog {CatalogStatus}, provider {ProviderStatus}";

        internal static SeedreamModelStatus Compare(SeedreamProvider provider, SeedreamModel model, ModelOffer offer, ListedModel? listed)
        {
            ModelState catalog = offer.Status.State;
            string listedStatus = listed is null ? NotListed : string.IsNullOrEmpty(listed.Status) ? "Live" : listed.Status!;
            bool shutdown = string.Equals(listedStatus, "Shutdown", StringComparison.OrdinalIgnoreCase);
            bool retiring = string.Equals(listedStatus, "Retiring", StringComparison.OrdinalIgnoreCase);
            (bool agrees, string note) = (catalog, listed) switch
            {
                (ModelState.Retired, null) => (true, "switched off; no longer listed"),
                (ModelState.Retired, _) when shutdown => (true, "switched off"),
                (ModelState.Retired, _) => (false, $"the catalog has it switched off, but {provider.Name} lists it {listedStatus}"),
                (_, null) => (false, $"{provider.Name} does not list it (the listing leaves out aliases and models the account cannot use)"),
                (_, _) when shutdown => (false, $"switched off on {provider.Name}; the catalog does not know yet (a user catalog can mark it retired)"),
                (ModelState.Live, _) when retiring => (false, $"{provider.Name} says it is retiring; the catalog does not know yet"),
                (ModelState.Retiring, _) when retiring => (true, "retiring"),
                (ModelState.Retiring, _) => (false, $"the catalog has it retiring, but {provider.Name} lists it {listedStatus}"),
                _ => (true, ""),
            };
            return new SeedreamModelStatus(provider.Name, listed?.Id ?? offer.Id, model.Family, catalog.ToString(), listedStatus, offer.Status.Date,
                listed?.TaskTypes ?? Array.Empty<string>(), listed?.Created, agrees, note);
        }

        internal static SeedreamModelStatus Unknown(SeedreamProvider provider, ListedModel listed, SeedreamModel? elsewhere)
        {
            string status = string.IsNullOrEmpty(listed.Status) ? "Live" : listed.Status!;
            string note = elsewhere != null
                ? $"another provider's id of {elsewhere.Family} in the catalog"
                : "not in the catalog" + (listed.TaskTypes.Count > 0 ? $" ({string.Join(", ", listed.TaskTypes)})" : "") + "; a user catalog can describe it";
            return new SeedreamModelStatus(provider.Name, listed.Id, elsewhere?.Family, NotInCatalog, status, null, listed.TaskTypes, listed.Created, false, note);
        }
    }
}
