using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seedream.Catalog
{
    /// <summary>
    /// Reads catalog JSON (the shipped catalog.json, then optionally a user's file on top) into typed records, checking
    /// every field: a problem is a <see cref="CatalogException"/> that names the file, the entry and the field. Unknown
    /// fields are errors too, so a misspelt field in a user's file is reported instead of silently ignored.
    /// The format is described in CONTRIBUTING.md ("The model catalog").
    /// </summary>
    internal static class CatalogReader
    {
        private static readonly JsonDocumentOptions DocumentOptions = new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };


        private static readonly string[] TopLevelKeys = { "catalogVersion", "revised", "note", "defaultProvider", "limits", "providers", "models", "endpoints" };
        private static readonly string[] UserTopLevelKeys = { "catalogVersion", "revised", "note", "models", "endpoints" };
        private static readonly string[] ModelKeys = { "family", "names", "released", "note", "sizes", "outputFormats", "referenceImages", "accepts", "timeoutSec", "latency", "providers" };
        private const int SupportedVersion = 1;

        /// <summary>Parses a file's text as JSON (comments and trailing commas allowed); the error names the line.</summary>
        public static JsonObject Parse(string file, string text)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(text, null, DocumentOptions);
            }
            catch (JsonException ex)
            {
                string where = ex.LineNumber is long line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
                throw new CatalogException(file, "the file", "", $"is not valid JSON{where}: {FirstSentence(ex.Message)}.", ex);
            }

            return root as JsonObject ?? throw new CatalogException(file, "the file", "", "must hold one JSON object ({ \"models\": [...] }).");
        }

        /// <summary>Reads the shipped catalog: limits, providers, models (and endpoints, normally none).</summary>
        public static SeedreamCatalog ReadShipped(string file, JsonObject root)
        {
            var top = new Where(file, "the top level", "");
            CheckKeys(root, top, TopLevelKeys);
            CheckVersion(root, top);
            CommonLimits limits = ReadLimits(Required<JsonObject>(root, top, "limits"), top.Field("limits"));
            var providers = new List<SeedreamProvider>();
            JsonArray providerArray = Required<JsonArray>(root, top, "providers");
            for (int i = 0; i < providerArray.Count; i++)
            {
                JsonObject entry = Element<JsonObject>(providerArray, i, top.Field("providers"));
                string name = OptionalString(entry, new Where(file, $"providers[{i}]", ""), "name") ?? "";
                providers.Add(ReadProvider(entry, new Where(file, $"provider '{name}' (providers[{i}])", ""), providers));
            }

            if (providers.Count == 0)
            {
                throw top.Field("providers").Error("must list at least one provider.");
            }

            string defaultProvider = RequiredString(root, top, "defaultProvider");
            if (!providers.Any(p => Same(p.Name, defaultProvider)))
            {
                throw top.Field("defaultProvider").Error($"'{defaultProvider}' is not one of the providers ({string.Join(", ", providers.Select(p => p.Name))}).");
            }

            var sources = new List<ModelSource>();
            JsonArray models = Required<JsonArray>(root, top, "models");
            for (int i = 0; i < models.Count; i++)
            {
                sources.Add(new ModelSource(Element<JsonObject>(models, i, top.Field("models")), file, i));
            }

            var endpoints = new List<EndpointSource>();
            if (root["endpoints"] is JsonNode endpointNode)
            {
                endpoints.AddRange(EndpointSources(endpointNode, top, file));
            }

            return Build(limits, providers, providers.First(p => Same(p.Name, defaultProvider)), sources, endpoints, new[] { file });
        }

        /// <summary>
        /// Lays a user's catalog over <paramref name="shipped"/>: an entry whose family exists changes the fields it gives
        /// (objects merge, other values replace, null removes); an entry with basedOn copies that model's rules (not its
        /// names or providers) into a new model; any other entry is a new, complete model. Endpoints map ep- ids to models.
        /// </summary>
        public static SeedreamCatalog ReadOverlay(SeedreamCatalog shipped, string file, JsonObject root)
        {
            var top = new Where(file, "the top level", "");
            foreach (string key in new[] { "limits", "providers", "defaultProvider" })
            {
                if (root.ContainsKey(key))
                {
                    throw top.Field(key).Error("a user catalog may add or change models and endpoints only; the providers and common limits are the module's.");
                }
            }

            CheckKeys(root, top, UserTopLevelKeys);
            CheckVersion(root, top);
            var sources = shipped.ModelSources.Select(s => new ModelSource((JsonObject)s.Node.DeepClone(), s.File, s.Index)).ToList();
            if (root["models"] is JsonNode modelsNode)
            {
                JsonArray models = modelsNode as JsonArray ?? throw top.Field("models").Error("must be an array of model entries.");
                for (int i = 0; i < models.Count; i++)
                {
                    JsonObject entry = Element<JsonObject>(models, i, top.Field("models"));
                    var where = new Where(file, $"models[{i}]", "");
                    string family = RequiredString(entry, where, "family");
                    where = new Where(file, $"model '{family}' (models[{i}])", "");
                    string? basedOn = OptionalString(entry, where, "basedOn");
                    int existing = sources.FindIndex(s => Same(FamilyOf(s.Node), family));
                    if (basedOn != null)
                    {
                        if (existing >= 0)
                        {
                            throw where.Field("basedOn").Error($"is for new models; '{family}' is already in the catalog, so give only the fields to change.");
                        }

                        ModelSource? template = sources.FirstOrDefault(s => Same(FamilyOf(s.Node), basedOn) || NamesOf(s.Node).Any(n => Same(n, basedOn)));
                        if (template is null)
                        {
                            throw where.Field("basedOn").Error($"'{basedOn}' is not a model of the catalog ({string.Join(", ", sources.Select(s => FamilyOf(s.Node)))}).");
                        }

                        var copy = (JsonObject)template.Node.DeepClone();
                        copy.Remove("names");
                        copy.Remove("providers");
                        copy.Remove("note");
                        var overlay = (JsonObject)entry.DeepClone();
                        overlay.Remove("basedOn");
                        Merge(copy, overlay);
                        sources.Add(new ModelSource(copy, file, i));
                    }
                    else if (existing >= 0)
                    {
                        var merged = (JsonObject)sources[existing].Node.DeepClone();
                        var overlay = (JsonObject)entry.DeepClone();
                        overlay["family"] = FamilyOf(merged); // keep the catalog's spelling
                        Merge(merged, overlay);
                        sources[existing] = new ModelSource(merged, file, i);
                    }
                    else
                    {
                        sources.Add(new ModelSource((JsonObject)entry.DeepClone(), file, i));
                    }
                }
            }

            var endpoints = shipped.EndpointSources.ToList();
            if (root["endpoints"] is JsonNode endpointNode)
            {
                endpoints.AddRange(EndpointSources(endpointNode, top, file));
            }

            return Build(shipped.Limits, shipped.Providers, shipped.DefaultProvider, sources, endpoints, shipped.Files.Concat(new[] { file }).ToArray());
        }

        private static SeedreamCatalog Build(
            CommonLimits limits, IReadOnlyList<SeedreamProvider> providers, SeedreamProvider defaultProvider,
            List<ModelSource> sources, List<EndpointSource> endpointSources, IReadOnlyList<string> files)
        {
            var models = new List<SeedreamModel>();
            var owners = new Dictionary<string, (SeedreamModel Model, Where Where)>(StringComparer.OrdinalIgnoreCase);
            foreach (ModelSource source in sources)
            {
                var where = new Where(source.File, $"model '{FamilyOf(source.Node)}' (models[{source.Index}])", "");
                SeedreamModel model = ReadModel(source.Node, where, providers, limits, source.File);
                foreach (string name in model.Names.Concat(model.AllIds))
                {
                    if (owners.TryGetValue(name, out var owner) && owner.Model != model)
                    {
                        throw where.Error($"'{name}' already names model '{owner.Model.Family}' ({owner.Where.File}); every family, name and id must be unique.");
                    }

                    owners[name] = (model, where);
                }

                models.Add(model);
            }

            foreach (SeedreamProvider provider in providers)
            {
                SeedreamModel? fallback = models.FirstOrDefault(m => m.Names.Any(n => Same(n, provider.DefaultModel)));
                if (fallback is null || fallback.OfferOn(provider) is not { } offer || offer.Status.State == ModelState.Retired)
                {
                    throw new CatalogException(files[0], $"provider '{provider.Name}'", "defaultModel",
                        $"'{provider.DefaultModel}' must be a model offered, and not retired, on {provider.Name}.");
                }
            }

            var endpoints = new List<CatalogEndpoint>();
            foreach (EndpointSource source in endpointSources)
            {
                endpoints.Add(ReadEndpoint(source, providers, models, owners, endpoints));
            }

            return new SeedreamCatalog(limits, providers, defaultProvider, models, endpoints, files, sources, endpointSources);
        }

        // ------------------------------------------------------------------ entries

        private static CommonLimits ReadLimits(JsonObject o, Where w)
        {
            CheckKeys(o, w, "maxImagesPerRequest", "maxReferencesPlusOutputs", "maxAspectRatio", "urlLifetimeHours", "referenceImages");
            int maxImages = RequiredInt(o, w, "maxImagesPerRequest", 1, 1000);
            int maxTotal = RequiredInt(o, w, "maxReferencesPlusOutputs", 1, 1000);
            int aspect = RequiredInt(o, w, "maxAspectRatio", 1, 1000);
            int hours = RequiredInt(o, w, "urlLifetimeHours", 1, 24 * 365);
            JsonObject images = Required<JsonObject>(o, w, "referenceImages");
            Where iw = w.Field("referenceImages");
            CheckKeys(images, iw, "formats", "maxBytes", "maxPixels", "minSide");
            var referenceImages = new ReferenceImageLimits(
                TokenList(images, iw, "formats", required: true)!,
                RequiredLong(images, iw, "maxBytes", 1),
                RequiredLong(images, iw, "maxPixels", 1),
                RequiredInt(images, iw, "minSide", 1, 100_000));
            return new CommonLimits(maxImages, maxTotal, aspect, TimeSpan.FromHours(hours), referenceImages);
        }

        private static SeedreamProvider ReadProvider(JsonObject o, Where w, List<SeedreamProvider> earlier)
        {
            CheckKeys(o, w, "name", "baseUri", "simulated", "apiKeyVariables", "defaultModel", "defaultModelReason", "listsModels");
            string name = RequiredString(o, w, "name");
            if (earlier.Any(p => Same(p.Name, name)))
            {
                throw w.Field("name").Error($"'{name}' is listed twice.");
            }

            string baseText = RequiredString(o, w, "baseUri");
            if (!Uri.TryCreate(baseText, UriKind.Absolute, out Uri? baseUri) || baseUri.Scheme != Uri.UriSchemeHttps)
            {
                throw w.Field("baseUri").Error($"'{baseText}' is not an absolute https URI.");
            }

            // The simulator answers inside the module and takes no key.
            bool simulated = OptionalBool(o, w, "simulated") ?? false;
            IReadOnlyList<string> variables = StringList(o, w, "apiKeyVariables", required: !simulated) ?? Array.Empty<string>();
            return new SeedreamProvider(name, baseUri, variables, RequiredString(o, w, "defaultModel"),
                OptionalString(o, w, "defaultModelReason"), OptionalBool(o, w, "listsModels") ?? false, simulated);
        }

        private static SeedreamModel ReadModel(JsonObject o, Where w, IReadOnlyList<SeedreamProvider> providers, CommonLimits limits, string source)
        {
            CheckKeys(o, w, ModelKeys);
            string family = RequiredString(o, w, "family");
            var names = new List<string> { family };
            foreach (string name in StringList(o, w, "names", required: false) ?? Array.Empty<string>())
            {
                if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(name);
                }
            }

            string? released = OptionalString(o, w, "released");

            // sizes
            JsonObject sizes = Required<JsonObject>(o, w, "sizes");
            Where sw = w.Field("sizes");
            CheckKeys(sizes, sw, "tiers", "minPixels", "maxPixels", "default", "recommended");
            long minPixels = RequiredLong(sizes, sw, "minPixels", 1);
            long maxPixels = RequiredLong(sizes, sw, "maxPixels", 1);
            if (maxPixels < minPixels)
            {
                throw sw.Field("maxPixels").Error($"{maxPixels:N0} is below minPixels ({minPixels:N0}).");
            }

            var tiers = new List<SizeTier>();
            JsonObject tierObject = Required<JsonObject>(sizes, sw, "tiers");
            foreach (KeyValuePair<string, JsonNode?> pair in tierObject)
            {
                Where tw = sw.Field("tiers").Field(pair.Key);
                if (!RequestRules.IsTierName(pair.Key, upperCaseOnly: true))
                {
                    throw tw.Error("a tier is named like the API spells it: a number and an upper-case K (1K, 1.5K, 2K).");
                }

                (int width, int height) = ReadDimensions(pair.Value, tw, minPixels, maxPixels, limits);
                tiers.Add(new SizeTier(pair.Key, width, height));
            }

            if (tiers.Count == 0)
            {
                throw sw.Field("tiers").Error("must name at least one tier (\"2K\": \"2048x2048\").");
            }

            string? defaultSize = OptionalString(sizes, sw, "default");
            if (defaultSize != null && !tiers.Any(t => t.Name == defaultSize))
            {
                ReadDimensions(JsonValue.Create(defaultSize), sw.Field("default"), minPixels, maxPixels, limits);
            }

            var recommended = new List<string>();
            JsonArray? recommendedArray = Optional<JsonArray>(sizes, sw, "recommended");
            for (int i = 0; recommendedArray != null && i < recommendedArray.Count; i++)
            {
                Where rw = sw.Field("recommended").Index(i);
                (int width, int height) = ReadDimensions(recommendedArray[i], rw, minPixels, maxPixels, limits);
                recommended.Add($"{width}x{height}");
            }

            IReadOnlyList<string> outputFormats = TokenList(o, w, "outputFormats", required: true)!;

            // reference images: the common limits, with what this model changes
            ReferenceImageLimits common = limits.ReferenceImages;
            ReferenceImageLimits referenceImages = common;
            if (Optional<JsonObject>(o, w, "referenceImages") is JsonObject ri)
            {
                Where rw = w.Field("referenceImages");
                CheckKeys(ri, rw, "formats", "maxBytes", "maxPixels", "minSide");
                referenceImages = new ReferenceImageLimits(
                    TokenList(ri, rw, "formats", required: false) ?? common.Formats,
                    OptionalLong(ri, rw, "maxBytes", 1) ?? common.MaxBytes,
                    OptionalLong(ri, rw, "maxPixels", 1) ?? common.MaxPixels,
                    (int)(OptionalLong(ri, rw, "minSide", 1) ?? common.MinSide));
            }

            // optional request fields
            JsonObject accepts = Required<JsonObject>(o, w, "accepts");
            Where aw = w.Field("accepts");
            CheckKeys(accepts, aw, "sequence", "stream", "promptOptimization", "thinking", "background", "layerDecomposition");
            bool sequence = RequiredBool(accepts, aw, "sequence");
            bool stream = RequiredBool(accepts, aw, "stream");
            IReadOnlyList<string> promptModes = TokenList(accepts, aw, "promptOptimization", required: true)!;

            ThinkingRules? thinking = null;
            if (Optional<JsonObject>(accepts, aw, "thinking") is JsonObject t)
            {
                Where tw = aw.Field("thinking");
                CheckKeys(t, tw, "modes", "withoutReferencesOnly");
                IReadOnlyList<string> modes = TokenList(t, tw, "modes", required: true)!;
                IReadOnlyList<string> withoutReferences = TokenList(t, tw, "withoutReferencesOnly", required: false) ?? Array.Empty<string>();
                CheckSubset(withoutReferences, modes, tw.Field("withoutReferencesOnly"), "modes");
                thinking = new ThinkingRules(modes, withoutReferences);
            }

            BackgroundRules? background = null;
            if (Optional<JsonObject>(accepts, aw, "background") is JsonObject b)
            {
                Where bw = aw.Field("background");
                CheckKeys(b, bw, "modes", "transparent");
                IReadOnlyList<string> modes = TokenList(b, bw, "modes", required: true)!;
                TransparentBackgroundRules? transparent = null;
                if (Optional<JsonObject>(b, bw, "transparent") is JsonObject tr)
                {
                    Where trw = bw.Field("transparent");
                    CheckKeys(tr, trw, "outputFormat", "references");
                    string? format = OptionalString(tr, trw, "outputFormat");
                    if (format != null && !outputFormats.Contains(format))
                    {
                        throw trw.Field("outputFormat").Error($"'{format}' is not one of the model's outputFormats ({string.Join(", ", outputFormats)}).");
                    }

                    int? count = null;
                    string? referenceFormat = null;
                    bool alpha = false;
                    if (Optional<JsonObject>(tr, trw, "references") is JsonObject refs)
                    {
                        Where rw = trw.Field("references");
                        CheckKeys(refs, rw, "count", "format", "alpha");
                        count = (int?)OptionalLong(refs, rw, "count", 0);
                        referenceFormat = OptionalString(refs, rw, "format");
                        alpha = OptionalBool(refs, rw, "alpha") ?? false;
                    }

                    transparent = new TransparentBackgroundRules(format, count, referenceFormat, alpha);
                }

                background = new BackgroundRules(modes, transparent);
            }

            LayerDecompositionRules? layers = null;
            if (Optional<JsonObject>(accepts, aw, "layerDecomposition") is JsonObject l)
            {
                Where lw = aw.Field("layerDecomposition");
                CheckKeys(l, lw, "maxLayers", "minSide", "maxBytes", "formats", "sizes");
                layers = new LayerDecompositionRules(
                    RequiredInt(l, lw, "maxLayers", 1, 10_000),
                    RequiredInt(l, lw, "minSide", 1, 100_000),
                    RequiredLong(l, lw, "maxBytes", 1),
                    TokenList(l, lw, "formats", required: false) ?? referenceImages.Formats,
                    TokenList(l, lw, "sizes", required: false) ?? Array.Empty<string>());
            }

            long? timeoutSec = OptionalLong(o, w, "timeoutSec", 1);
            if (timeoutSec > 86_400)
            {
                throw w.Field("timeoutSec").Error("must be at most 86400 seconds.");
            }

            string? latency = OptionalString(o, w, "latency");

            // providers
            JsonObject offersObject = Required<JsonObject>(o, w, "providers");
            var offers = new List<ModelOffer>();
            foreach (KeyValuePair<string, JsonNode?> pair in offersObject)
            {
                Where pw = w.Field("providers").Field(pair.Key);
                SeedreamProvider provider = providers.FirstOrDefault(p => Same(p.Name, pair.Key))
                    ?? throw pw.Error($"'{pair.Key}' is not a provider; use {string.Join(", ", providers.Select(p => p.Name))}.");
                if (pair.Value is null)
                {
                    continue; // removed by a user's catalog
                }

                offers.Add(ReadOffer(pair.Value as JsonObject ?? throw pw.Error("must be an object { \"ids\": [...], \"maxReferences\": N, \"price\": {...} }."), pw, provider, limits));
            }

            if (offers.Count == 0)
            {
                throw w.Field("providers").Error("must list the model on at least one provider.");
            }

            return new SeedreamModel(family, names, released, tiers, minPixels, maxPixels, defaultSize, recommended, outputFormats, referenceImages,
                sequence, stream, promptModes, thinking, background, layers, timeoutSec is long s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null, latency,
                offers, source);
        }

        private static ModelOffer ReadOffer(JsonObject o, Where w, SeedreamProvider provider, CommonLimits limits)
        {
            CheckKeys(o, w, "ids", "maxReferences", "status", "price");
            IReadOnlyList<string> ids = StringList(o, w, "ids", required: true)!;
            if (ids.Distinct(StringComparer.OrdinalIgnoreCase).Count() != ids.Count)
            {
                throw w.Field("ids").Error("lists an id twice.");
            }

            foreach (string id in ids)
            {
                if (id.Trim().Length != id.Length || id.Any(char.IsWhiteSpace))
                {
                    throw w.Field("ids").Error($"'{id}' holds white space; an id is sent exactly as written.");
                }
            }

            int maxReferences = RequiredInt(o, w, "maxReferences", 0, limits.MaxReferencesPlusOutputs);
            ModelStatus status = ModelStatus.Live;
            if (Optional<JsonObject>(o, w, "status") is JsonObject s)
            {
                Where stw = w.Field("status");
                CheckKeys(s, stw, "state", "date", "note");
                string stateText = RequiredString(s, stw, "state");
                if (!Enum.TryParse(stateText, ignoreCase: true, out ModelState state) || stateText.Any(char.IsDigit))
                {
                    throw stw.Field("state").Error($"'{stateText}' is not live, retiring or retired.");
                }

                DateTimeOffset? date = null;
                if (OptionalString(s, stw, "date") is string dateText)
                {
                    if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out DateTimeOffset parsed))
                    {
                        throw stw.Field("date").Error($"'{dateText}' is not a date (2026-11-24, or 2026-11-24T14:00:00+08:00).");
                    }

                    date = parsed;
                }
                else if (state == ModelState.Retired)
                {
                    throw stw.Field("date").Error("a retired model needs the date it was switched off.");
                }

                status = new ModelStatus(state, date, OptionalString(s, stw, "note"));
            }

            return new ModelOffer(provider, ids, maxReferences, status, ReadPrice(Required<JsonObject>(o, w, "price"), w.Field("price")));
        }

        private static PriceRule ReadPrice(JsonObject o, Where w)
        {
            CheckKeys(o, w, "perImage", "perReference", "perRequest", "note");
            var steps = new List<PriceStep>();
            switch (o["perImage"])
            {
                case null:
                    break;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        Where sw = w.Field("perImage").Index(i);
                        JsonObject step = array[i] as JsonObject ?? throw sw.Error("must be an object { \"maxPixels\": N, \"usd\": 0.02 } (leave out maxPixels on the last step).");
                        CheckKeys(step, sw, "maxPixels", "usd");
                        long? max = OptionalLong(step, sw, "maxPixels", 1);
                        if (max is null && i != array.Count - 1)
                        {
                            throw sw.Field("maxPixels").Error("only the last step may leave out maxPixels (it prices everything above).");
                        }

                        if (max != null && steps.Count > 0 && !(max > steps[steps.Count - 1].MaxPixels))
                        {
                            throw sw.Field("maxPixels").Error("the steps must rise: each maxPixels above the previous one.");
                        }

                        steps.Add(new PriceStep(max, RequiredMoney(step, sw, "usd")));
                    }

                    if (steps.Count == 0)
                    {
                        throw w.Field("perImage").Error("must hold at least one step.");
                    }

                    break;
                default:
                    steps.Add(new PriceStep(null, RequiredMoney(o, w, "perImage")));
                    break;
            }

            decimal? perReference = null;
            int from = 1;
            switch (o["perReference"])
            {
                case null:
                    break;
                case JsonObject reference:
                    Where rw = w.Field("perReference");
                    CheckKeys(reference, rw, "usd", "from");
                    perReference = RequiredMoney(reference, rw, "usd");
                    from = (int)(OptionalLong(reference, rw, "from", 1) ?? 1);
                    break;
                default:
                    perReference = RequiredMoney(o, w, "perReference");
                    break;
            }

            decimal? perRequest = o.ContainsKey("perRequest") ? RequiredMoney(o, w, "perRequest") : (decimal?)null;
            if (steps.Count == 0 && perRequest is null)
            {
                throw w.Error("needs perImage or perRequest (use 0 for a free model).");
            }

            return new PriceRule(steps, perReference, from, perRequest, OptionalString(o, w, "note"));
        }

        private static IEnumerable<EndpointSource> EndpointSources(JsonNode node, Where top, string file)
        {
            JsonArray array = node as JsonArray ?? throw top.Field("endpoints").Error("must be an array of { \"id\": \"ep-...\", \"provider\": \"BytePlus\", \"model\": \"5.5\" }.");
            for (int i = 0; i < array.Count; i++)
            {
                yield return new EndpointSource(Element<JsonObject>(array, i, top.Field("endpoints")), file, i);
            }
        }

        private static CatalogEndpoint ReadEndpoint(
            EndpointSource source, IReadOnlyList<SeedreamProvider> providers, List<SeedreamModel> models,
            Dictionary<string, (SeedreamModel Model, Where Where)> owners, List<CatalogEndpoint> earlier)
        {
            var w = new Where(source.File, $"endpoints[{source.Index}]", "");
            JsonObject o = source.Node;
            CheckKeys(o, w, "id", "provider", "model", "note");
            string id = RequiredString(o, w, "id");
            w = new Where(source.File, $"endpoint '{id}' (endpoints[{source.Index}])", "");
            if (id.Any(char.IsWhiteSpace))
            {
                throw w.Field("id").Error("holds white space; an endpoint id is sent exactly as written.");
            }

            string providerName = RequiredString(o, w, "provider");
            SeedreamProvider provider = providers.FirstOrDefault(p => Same(p.Name, providerName))
                ?? throw w.Field("provider").Error($"'{providerName}' is not a provider; use {string.Join(", ", providers.Select(p => p.Name))}.");
            string modelName = RequiredString(o, w, "model");
            SeedreamModel model = models.FirstOrDefault(m => m.Names.Any(n => Same(n, modelName)) || m.AllIds.Any(i => Same(i, modelName)))
                ?? throw w.Field("model").Error($"'{modelName}' is not a model of the catalog ({string.Join(", ", models.Select(m => m.Family))}).");
            if (model.OfferOn(provider) is null)
            {
                throw w.Field("model").Error($"model '{model.Family}' is not listed on {provider.Name}, so its limits and prices there are not known.");
            }

            if (owners.ContainsKey(id) || earlier.Any(e => Same(e.Id, id) && e.Provider != provider))
            {
                throw w.Field("id").Error($"'{id}' already names a model or another provider's endpoint.");
            }

            earlier.RemoveAll(e => Same(e.Id, id) && e.Provider == provider); // a later file remaps it
            return new CatalogEndpoint(id, provider, model, source.File);
        }

        // ------------------------------------------------------------------ values

        private static (int Width, int Height) ReadDimensions(JsonNode? node, Where w, long minPixels, long maxPixels, CommonLimits limits)
        {
            string? text = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            if (text is null || !IsDimensions(text))
            {
                throw w.Error($"must be WIDTHxHEIGHT with a lower-case x (2048x2048); got {Show(node)}.");
            }

            int x = text.IndexOf('x');
            int width = int.Parse(text.Substring(0, x), CultureInfo.InvariantCulture);
            int height = int.Parse(text.Substring(x + 1), CultureInfo.InvariantCulture);
            long pixels = (long)width * height;
            if (pixels < minPixels || pixels > maxPixels)
            {
                throw w.Error($"{text} is {pixels:N0} pixels, outside the model's {minPixels:N0} to {maxPixels:N0}.");
            }

            if ((long)width > (long)height * limits.MaxAspectRatio || (long)height > (long)width * limits.MaxAspectRatio)
            {
                throw w.Error($"{text} is outside the aspect ratio 1/{limits.MaxAspectRatio} to {limits.MaxAspectRatio}.");
            }

            return (width, height);
        }

        private static void CheckVersion(JsonObject root, Where top)
        {
            if (root.ContainsKey("catalogVersion"))
            {
                int version = RequiredInt(root, top, "catalogVersion", 1, int.MaxValue);
                if (version != SupportedVersion)
                {
                    throw top.Field("catalogVersion").Error($"this module reads catalog version {SupportedVersion}; the file is version {version}.");
                }
            }
        }

        private static void CheckKeys(JsonObject o, Where w, params string[] known)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in o)
            {
                if (!known.Contains(pair.Key, StringComparer.Ordinal))
                {
                    string? near = known.FirstOrDefault(k => string.Equals(k, pair.Key, StringComparison.OrdinalIgnoreCase));
                    throw w.Field(pair.Key).Error(near != null
                        ? $"is not a field; field names are case-sensitive: did you mean '{near}'?"
                        : $"is not a field here; known fields: {string.Join(", ", known)}.");
                }
            }
        }

        private static void CheckSubset(IReadOnlyList<string> values, IReadOnlyList<string> of, Where w, string ofName)
        {
            foreach (string value in values)
            {
                if (!of.Contains(value))
                {
                    throw w.Error($"'{value}' is not one of {ofName} ({string.Join(", ", of)}).");
                }
            }
        }

        private static T Required<T>(JsonObject o, Where w, string name) where T : JsonNode =>
            Optional<T>(o, w, name) ?? throw w.Field(name).Error($"is required ({Describe<T>()}).");

        private static T? Optional<T>(JsonObject o, Where w, string name) where T : JsonNode
        {
            JsonNode? node = o[name];
            if (node is null)
            {
                return null;
            }

            return node as T ?? throw w.Field(name).Error($"must be {Describe<T>()}; got {Show(node)}.");
        }

        private static T Element<T>(JsonArray array, int index, Where w) where T : JsonNode =>
            array[index] as T ?? throw w.Index(index).Error($"must be {Describe<T>()}; got {Show(array[index])}.");

        private static string RequiredString(JsonObject o, Where w, string name) =>
            OptionalString(o, w, name) ?? throw w.Field(name).Error("is required (a string).");

        private static string? OptionalString(JsonObject o, Where w, string name)
        {
            JsonNode? node = o[name];
            if (node is null)
            {
                return null;
            }

            if (!(node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text)) || text is null || text.Trim().Length == 0)
            {
                throw w.Field(name).Error($"must be a non-empty string; got {Show(node)}.");
            }

            return text;
        }

        private static bool RequiredBool(JsonObject o, Where w, string name) =>
            OptionalBool(o, w, name) ?? throw w.Field(name).Error("is required (true or false).");

        private static bool? OptionalBool(JsonObject o, Where w, string name)
        {
            JsonNode? node = o[name];
            if (node is null)
            {
                return null;
            }

            JsonValueKind kind = node.GetValueKind();
            if (kind != JsonValueKind.True && kind != JsonValueKind.False)
            {
                throw w.Field(name).Error($"must be true or false; got {Show(node)}.");
            }

            return kind == JsonValueKind.True;
        }

        private static int RequiredInt(JsonObject o, Where w, string name, int min, int max)
        {
            long value = RequiredLong(o, w, name, min);
            if (value > max)
            {
                throw w.Field(name).Error($"must be at most {max}; got {value}.");
            }

            return (int)value;
        }

        private static long RequiredLong(JsonObject o, Where w, string name, long min) =>
            OptionalLong(o, w, name, min) ?? throw w.Field(name).Error($"is required (a whole number of at least {min}).");

        private static long? OptionalLong(JsonObject o, Where w, string name, long min)
        {
            JsonNode? node = o[name];
            if (node is null)
            {
                return null;
            }

            if (!(node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number)))
            {
                throw w.Field(name).Error($"must be a whole number; got {Show(node)}.");
            }

            if (number < min)
            {
                throw w.Field(name).Error($"must be at least {min}; got {number}.");
            }

            return number;
        }

        private static decimal RequiredMoney(JsonObject o, Where w, string name)
        {
            JsonNode? node = o[name];
            if (!(node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out decimal usd)) || usd < 0 || usd > 1000)
            {
                throw w.Field(name).Error($"must be a price in US dollars from 0 to 1000 (0.035); got {Show(node)}.");
            }

            return usd;
        }

        private static IReadOnlyList<string>? StringList(JsonObject o, Where w, string name, bool required)
        {
            JsonNode? node = o[name];
            if (node is null)
            {
                return required ? throw w.Field(name).Error("is required (an array of strings).") : null;
            }

            JsonArray array = node as JsonArray ?? throw w.Field(name).Error($"must be an array of strings; got {Show(node)}.");
            var list = new List<string>();
            for (int i = 0; i < array.Count; i++)
            {
                JsonNode? item = array[i];
                if (!(item is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text)) || text is null || text.Trim().Length == 0)
                {
                    throw w.Field(name).Index(i).Error($"must be a non-empty string; got {Show(item)}.");
                }

                list.Add(text);
            }

            if (list.Count == 0 && required)
            {
                throw w.Field(name).Error("must hold at least one value.");
            }

            return list;
        }

        /// <summary>A list of lower-case wire values (png, standard, transparent).</summary>
        private static IReadOnlyList<string>? TokenList(JsonObject o, Where w, string name, bool required)
        {
            IReadOnlyList<string>? list = StringList(o, w, name, required);
            for (int i = 0; list != null && i < list.Count; i++)
            {
                if (!IsToken(list[i]))
                {
                    throw w.Field(name).Index(i).Error($"'{list[i]}' must be written as the API spells it: lower-case, no spaces.");
                }
            }

            return list;
        }

        /// <summary>WIDTHxHEIGHT as the API writes it: digits without a leading zero, a lower-case x, at most six digits a side.</summary>
        private static bool IsDimensions(string text)
        {
            int x = text.IndexOf('x');
            return x > 0 && x < text.Length - 1 && IsNumber(text, 0, x) && IsNumber(text, x + 1, text.Length);

            static bool IsNumber(string s, int start, int end)
            {
                if (end - start > 6 || s[start] == '0')
                {
                    return false;
                }

                for (int i = start; i < end; i++)
                {
                    if (s[i] < '0' || s[i] > '9')
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>A wire value: lower-case letters and digits, and . + - after the first character.</summary>
        private static bool IsToken(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && (i == 0 || (c != '.' && c != '+' && c != '-')))
                {
                    return false;
                }
            }

            return text.Length > 0;
        }

        /// <summary>Objects merge key by key; arrays, strings and numbers replace; null removes the key.</summary>
        private static void Merge(JsonObject target, JsonObject overlay)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in overlay.ToList())
            {
                if (pair.Value is null)
                {
                    target.Remove(pair.Key);
                }
                else if (pair.Value is JsonObject child && target[pair.Key] is JsonObject existing)
                {
                    Merge(existing, child);
                }
                else
                {
                    target[pair.Key] = pair.Value.DeepClone();
                }
            }
        }

        private static string FamilyOf(JsonObject node) =>
            node["family"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? family) ? family ?? "" : "";

        private static IEnumerable<string> NamesOf(JsonObject node) =>
            node["names"] is JsonArray names
                ? names.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
                : Enumerable.Empty<string>();

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static string Describe<T>() =>
            typeof(T) == typeof(JsonObject) ? "an object { ... }" : typeof(T) == typeof(JsonArray) ? "an array [ ... ]" : "a value";

        /// <summary>A JSON value for a message, shortened.</summary>
        private static string Show(JsonNode? node)
        {
            if (node is null)
            {
                return "nothing";
            }

            string text = node.ToJsonString();
            return text.Length > 40 ? text.Substring(0, 37) + "..." : text;
        }

        private static string FirstSentence(string message)
        {
            int end = message.IndexOf(". ", StringComparison.Ordinal);
            return end < 0 ? message.TrimEnd('.') : message.Substring(0, end);
        }

        /// <summary>Where a value sits, for messages: file, entry and the field's path inside the entry.</summary>
        private sealed class Where
        {
            public Where(string file, string entry, string path)
            {
                File = file;
                Entry = entry;
                Path = path;
            }

            public string File { get; }
            public string Entry { get; }
            public string Path { get; }

            public Where Field(string name) => new Where(File, Entry, Path.Length == 0 ? name : Path + "." + name);

            public Where Index(int index) => new Where(File, Entry, Path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]");

            public CatalogException Error(string problem) => new CatalogException(File, Entry, Path, problem);
        }
    }

    /// <summary>A model entry as JSON, with the file that gave it its final form (kept so a user's catalog can be laid on top).</summary>
    internal sealed class ModelSource
    {
        public ModelSource(JsonObject node, string file, int index)
        {
            Node = node;
            File = file;
            Index = index;
        }

        public JsonObject Node { get; }
        public string File { get; }
        public int Index { get; }
    }

    /// <summary>An endpoint entry as JSON, with its file.</summary>
    internal sealed class EndpointSource
    {
        public EndpointSource(JsonObject node, string file, int index)
        {
            Node = node;
            File = file;
            Index = index;
        }

        public JsonObject Node { get; }
        public string File { get; }
        public int Index { get; }
    }
}
