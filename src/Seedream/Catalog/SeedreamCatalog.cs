using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedream.Catalog
{
    /// <summary>How a -Model value was recognised.</summary>
    public enum ModelMatch
    {
        /// <summary>A short name (5.5, pro, 4.5).</summary>
        Name,

        /// <summary>One of the chosen provider's own ids for the model.</summary>
        ProviderId,

        /// <summary>Another provider's id for the model (dola-... while on APIYI): translated.</summary>
        OtherProviderId,

        /// <summary>An endpoint id a user's catalog maps to a model.</summary>
        Endpoint,

        /// <summary>Not in the catalog: sent as given, checked only by the common rules.</summary>
        Unknown,
    }

    /// <summary>What a -Model value means on one provider: the catalog's model (if any), and the id that goes on the wire.</summary>
    public sealed class ModelChoice
    {
        internal ModelChoice(string requested, SeedreamProvider provider, SeedreamModel? model, ModelOffer? offer, CatalogEndpoint? endpoint,
            string wireId, ModelMatch match, IReadOnlyList<string> suggestions)
        {
            Requested = requested;
            Provider = provider;
            Model = model;
            Offer = offer;
            Endpoint = endpoint;
            WireId = wireId;
            Match = match;
            Suggestions = suggestions;
        }

        /// <summary>The value as given (trimmed).</summary>
        public string Requested { get; }

        public SeedreamProvider Provider { get; }

        /// <summary>Null for an id the catalog does not know.</summary>
        public SeedreamModel? Model { get; }

        /// <summary>The model on the chosen provider; null when unknown, or when that provider does not list it.</summary>
        public ModelOffer? Offer { get; }

        public CatalogEndpoint? Endpoint { get; }

        /// <summary>The model id the request carries.</summary>
        public string WireId { get; }

        public ModelMatch Match { get; }

        /// <summary>For an unknown id: the nearest known names and ids on the provider, nearest first.</summary>
        public IReadOnlyList<string> Suggestions { get; }

        /// <summary>One line for -Verbose: what was given and what is sent.</summary>
        public string Description => Match switch
        {
            ModelMatch.Name => $"-Model '{Requested}' is {Model!.Family}; {Provider.Name} calls it {WireId}.",
            ModelMatch.ProviderId => $"-Model '{Requested}' is {Model!.Family} ({WireId} on {Provider.Name}).",
            ModelMatch.OtherProviderId => $"-Model '{Requested}' is another provider's id of {Model!.Family}; {Provider.Name} calls it {WireId}, which is sent.",
            ModelMatch.Endpoint => $"-Model '{Requested}' is an endpoint of {Model!.Family} on {Provider.Name} (from {Endpoint!.Source}); its rules and prices apply.",
            _ => $"-Model '{Requested}' is not in the catalog; it is sent as is.",
        };
    }

    /// <summary>
    /// The model catalog: the providers, the common limits and every model with its per-provider ids, status and price.
    /// One instance per set of files (the shipped catalog, or it with a user's catalog on top); immutable, so shared
    /// freely between threads. <see cref="ModelCatalog"/> loads them.
    /// </summary>
    public sealed class SeedreamCatalog
    {
        internal SeedreamCatalog(
            CommonLimits limits,
            IReadOnlyList<SeedreamProvider> providers,
            SeedreamProvider defaultProvider,
            IReadOnlyList<SeedreamModel> models,
            IReadOnlyList<CatalogEndpoint> endpoints,
            IReadOnlyList<string> files,
            IReadOnlyList<ModelSource> modelSources,
            IReadOnlyList<EndpointSource> endpointSources)
        {
            Limits = limits;
            Providers = providers;
            DefaultProvider = defaultProvider;
            Models = models;
            Endpoints = endpoints;
            Files = files;
            ModelSources = modelSources;
            EndpointSources = endpointSources;
        }

        public CommonLimits Limits { get; }
        public IReadOnlyList<SeedreamProvider> Providers { get; }
        public SeedreamProvider DefaultProvider { get; }
        public IReadOnlyList<SeedreamModel> Models { get; }

        /// <summary>Endpoint ids (ep-...) that a user's catalog maps to models.</summary>
        public IReadOnlyList<CatalogEndpoint> Endpoints { get; }

        /// <summary>The files read, shipped catalog first.</summary>
        public IReadOnlyList<string> Files { get; }

        internal IReadOnlyList<ModelSource> ModelSources { get; }
        internal IReadOnlyList<EndpointSource> EndpointSources { get; }

        public SeedreamProvider? FindProvider(string? name) =>
            Providers.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>The model a name, an id of any provider, or an endpoint id stands for (any case); null when unknown.</summary>
        public SeedreamModel? FindModel(string? nameOrId)
        {
            if (string.IsNullOrWhiteSpace(nameOrId))
            {
                return null;
            }

            string value = nameOrId!.Trim();
            return Models.FirstOrDefault(m => m.Names.Any(n => Same(n, value)))
                   ?? Models.FirstOrDefault(m => m.AllIds.Any(i => Same(i, value)))
                   ?? Endpoints.FirstOrDefault(e => Same(e.Id, value))?.Model;
        }

        /// <summary>The models a provider lists (live, retiring and retired alike), in catalog order.</summary>
        public IEnumerable<SeedreamModel> ModelsOn(SeedreamProvider provider) => Models.Where(m => m.OfferOn(provider) != null);

        /// <summary>The models that are live (or retiring) on a provider and satisfy <paramref name="predicate"/>, as names for a message.</summary>
        public string NamesOn(SeedreamProvider provider, Func<SeedreamModel, bool> predicate)
        {
            var names = ModelsOn(provider).Where(m => m.OfferOn(provider)!.Status.State != ModelState.Retired && predicate(m)).Select(m => m.Family).ToList();
            return names.Count == 0 ? $"none on {provider.Name}" : string.Join(", ", names);
        }

        /// <summary>The provider's default model.</summary>
        public ModelChoice Default(SeedreamProvider provider) => Choose(provider.DefaultModel, provider);

        /// <summary>Reads a -Model value for <paramref name="provider"/>: a name, any provider's id, or an endpoint id, in any case.</summary>
        public ModelChoice Choose(string requested, SeedreamProvider provider)
        {
            string value = requested.Trim();
            CatalogEndpoint? endpoint = Endpoints.FirstOrDefault(e => e.Provider == provider && Same(e.Id, value));
            if (endpoint != null)
            {
                return new ModelChoice(value, provider, endpoint.Model, endpoint.Model.OfferOn(provider), endpoint, endpoint.Id, ModelMatch.Endpoint, Array.Empty<string>());
            }

            SeedreamModel? byName = Models.FirstOrDefault(m => m.Names.Any(n => Same(n, value)));
            if (byName != null)
            {
                ModelOffer? offer = byName.OfferOn(provider);
                return new ModelChoice(value, provider, byName, offer, null, offer?.Id ?? value, ModelMatch.Name, Array.Empty<string>());
            }

            SeedreamModel? byId = Models.FirstOrDefault(m => m.AllIds.Any(i => Same(i, value)));
            if (byId != null)
            {
                ModelOffer? offer = byId.OfferOn(provider);
                string? own = offer?.Spelling(value);
                return own != null
                    ? new ModelChoice(value, provider, byId, offer, null, own, ModelMatch.ProviderId, Array.Empty<string>())
                    : new ModelChoice(value, provider, byId, offer, null, offer?.Id ?? value, ModelMatch.OtherProviderId, Array.Empty<string>());
            }

            return new ModelChoice(value, provider, null, null, null, value, ModelMatch.Unknown, Suggest(value, provider));
        }

        /// <summary>The known names and ids on a provider nearest to <paramref name="value"/> (edit distance, the nearest and those one edit further), at most three.</summary>
        public IReadOnlyList<string> Suggest(string value, SeedreamProvider provider)
        {
            var candidates = ModelsOn(provider)
                .SelectMany(m => m.OfferOn(provider)!.Ids.Concat(m.Names))
                .Concat(Endpoints.Where(e => e.Provider == provider).Select(e => e.Id))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(c => (Text: c, Distance: Distance(value.ToLowerInvariant(), c.ToLowerInvariant())))
                .Where(c => c.Distance <= Math.Max(2, value.Length / 4))
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Text, StringComparer.Ordinal)
                .ToList();

            // The nearest only: a typo one edit away is not drowned by ids three edits away.
            int best = candidates.Count == 0 ? 0 : candidates[0].Distance;
            return candidates.Where(c => c.Distance <= best + 1).Take(3).Select(c => c.Text).ToList();
        }

        /// <summary>Levenshtein distance.</summary>
        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
