using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Seedream.Catalog
{
    /// <summary>The request settings a rule can object to; the cmdlets name the parameter after it.</summary>
    public enum RequestField
    {
        Prompt,
        Model,
        Size,
        MaxImages,
        OutputFormat,
        Image,
        Stream,
        OptimizePromptMode,
        Thinking,
        Background,
        LayerDecomposition,
        MaxLayers,
    }

    /// <summary>One broken rule: which setting, and a sentence that states the rule and what is allowed.</summary>
    public sealed class RuleViolation
    {
        public RuleViolation(RequestField field, string message)
        {
            Field = field;
            Message = message;
        }

        public RequestField Field { get; }
        public string Message { get; }
        public override string ToString() => Message;
    }

    /// <summary>What is known of one reference image before it is sent; null where it is not known (an http URL).</summary>
    public sealed class ReferenceFacts
    {
        public ReferenceFacts(string description, string? format = null, long? bytes = null, int? width = null, int? height = null, bool? hasAlpha = null)
        {
            Description = description;
            Format = format;
            Bytes = bytes;
            Width = width;
            Height = height;
            HasAlpha = hasAlpha;
        }

        /// <summary>Short text for messages (a file name, a URL without its query); never a payload.</summary>
        public string Description { get; }

        /// <summary>Lower-case format as in a data URI (png, jpeg, ...).</summary>
        public string? Format { get; }

        public long? Bytes { get; }
        public int? Width { get; }
        public int? Height { get; }
        public bool? HasAlpha { get; }
    }

    /// <summary>
    /// What a request asks for, as far as the rules care: the wire values (lower-case formats and modes), before
    /// anything is sent. Unset values (null, false) are not sent. Reusable by any caller that builds a request (the
    /// generation cmdlets, a decomposition cmdlet, a simulator checking what it receives).
    /// </summary>
    public sealed class RequestShape
    {
        public string Prompt { get; set; } = "";

        /// <summary>The catalog's model; null for an id the catalog does not know (only the common rules apply).</summary>
        public SeedreamModel? Model { get; set; }

        /// <summary>The id that goes on the wire.</summary>
        public string ModelId { get; set; } = "";

        public SeedreamProvider Provider { get; set; } = ModelCatalog.DefaultProvider;

        /// <summary>The catalog the model came from (for naming the models that allow what this one refuses); the shipped one by default.</summary>
        public SeedreamCatalog? Catalog { get; set; }

        public string? Size { get; set; }
        public int? MaxImages { get; set; }
        public string? OutputFormat { get; set; }

        /// <summary>How many reference images; ignored when <see cref="References"/> is set.</summary>
        public int ReferenceCount { get; set; }

        /// <summary>The reference images with what is known of each (checked against the model's per-image limits).</summary>
        public IReadOnlyList<ReferenceFacts>? References { get; set; }

        public bool Stream { get; set; }
        public string? OptimizePromptMode { get; set; }

        /// <summary>optimize_prompt_options.thinking: enabled or disabled.</summary>
        public string? Thinking { get; set; }

        /// <summary>background: auto, transparent or opaque.</summary>
        public string? Background { get; set; }

        public bool LayerDecomposition { get; set; }

        /// <summary>The most layers wanted (a decomposition's cap).</summary>
        public int? MaxLayers { get; set; }

        public int EffectiveReferenceCount => References?.Count ?? ReferenceCount;
    }

    /// <summary>
    /// Checks a request against the catalog before anything is sent (a request costs money). Every figure comes from
    /// the model's catalog record; a model the catalog does not know gets only the rules common to all models.
    /// </summary>
    public static class RequestRules
    {
        public static IReadOnlyList<RuleViolation> Check(RequestShape request)
        {
            var violations = new List<RuleViolation>();
            void Add(RequestField field, string message) => violations.Add(new RuleViolation(field, message));

            SeedreamCatalog catalog = request.Catalog ?? ModelCatalog.Shipped;
            CommonLimits limits = catalog.Limits;
            SeedreamModel? model = request.Model;
            SeedreamProvider provider = request.Provider;
            ModelOffer? offer = model?.OfferOn(provider);
            string modelName = model is null ? request.ModelId : $"{request.ModelId} ({model.Family})";
            int references = request.EffectiveReferenceCount;

            if (string.IsNullOrWhiteSpace(request.Prompt) && !request.LayerDecomposition)
            {
                Add(RequestField.Prompt, "the prompt must not be empty; describe the image to generate.");
            }

            if (model != null && offer is null)
            {
                Add(RequestField.Model, $"model {model.Family} is not offered on {provider.Name}; it is on {string.Join(", ", model.Offers.Select(o => o.Provider.Name))}. " +
                                        $"Models on {provider.Name}: {catalog.NamesOn(provider, _ => true)}.");
            }
            else if (offer is { Status: { State: ModelState.Retired } status })
            {
                string note = status.Note is null ? "" : $" ({status.Note})";
                Add(RequestField.Model, $"model {modelName} was switched off on {provider.Name} on {status.DateText}{note}; " +
                                        $"use a live model: {catalog.NamesOn(provider, m => m.OfferOn(provider)!.Status.State == ModelState.Live)} (default {provider.DefaultModel}).");
            }

            // sequences
            if (request.MaxImages is int max && (max < 1 || max > limits.MaxImagesPerRequest))
            {
                Add(RequestField.MaxImages, $"the number of images must be between 1 and {limits.MaxImagesPerRequest}; {max} was given.");
            }
            else if (request.MaxImages is int wanted && model is { SupportsSequence: false })
            {
                Add(RequestField.MaxImages, $"model {modelName} makes one image a request and refuses sequential_image_generation; leave out -MaxImages, " +
                                            $"or use a model that makes sequences: {catalog.NamesOn(provider, m => m.SupportsSequence)}.");
            }
            else if (request.MaxImages is int asked && references + asked > limits.MaxReferencesPlusOutputs)
            {
                Add(RequestField.MaxImages,
                    $"reference images plus MaxImages must be at most {limits.MaxReferencesPlusOutputs}; " +
                    $"{references} references + {asked} images = {references + asked}. " +
                    $"Use at most {Math.Max(0, limits.MaxReferencesPlusOutputs - references)} images with {references} references.");
            }

            // reference images
            int referenceLimit = offer?.MaxReferenceImages ?? MaxReferencesOn(catalog, provider);
            if (references > referenceLimit)
            {
                string forModel = offer is null ? "" : $" for {model!.Family}";
                Add(RequestField.Image, $"{provider.Name} accepts at most {referenceLimit} reference images{forModel}; {references} were given.");
            }

            // A decomposition's one image follows the decomposition's own format and byte limits (checked in CheckLayers).
            ReferenceImageLimits imageLimits = model?.ReferenceImages ?? limits.ReferenceImages;
            if (request.LayerDecomposition && model?.LayerDecomposition is LayerDecompositionRules layerRules)
            {
                imageLimits = new ReferenceImageLimits(imageLimits.Formats.Union(layerRules.InputFormats, StringComparer.Ordinal).ToList(),
                    long.MaxValue, imageLimits.MaxPixels, imageLimits.MinSide);
            }

            foreach (ReferenceFacts image in request.References ?? Array.Empty<ReferenceFacts>())
            {
                string? problem = CheckReference(image, imageLimits, model is null ? null : modelName, limits);
                if (problem != null)
                {
                    Add(RequestField.Image, problem);
                }
            }

            // size
            if (request.Size is string size)
            {
                RuleViolation? sizeViolation = CheckSize(size, model, modelName, request.LayerDecomposition, limits);
                if (sizeViolation != null)
                {
                    violations.Add(sizeViolation);
                }
            }

            if (request.OutputFormat is string format && model != null && !model.SupportsOutputFormat(format))
            {
                Add(RequestField.OutputFormat,
                    $"model {modelName} cannot write {format}; it writes {string.Join(", ", model.OutputFormats)}. " +
                    $"{Capitalized(format)} needs {catalog.NamesOn(provider, m => m.SupportsOutputFormat(format))}.");
            }

            if (request.Stream && model is { SupportsStreaming: false })
            {
                Add(RequestField.Stream, $"model {modelName} does not stream its answer and refuses stream; leave out -Stream, " +
                                         $"or use a model that streams: {catalog.NamesOn(provider, m => m.SupportsStreaming)}.");
            }

            if (request.OptimizePromptMode is string mode && model != null &&
                !model.PromptOptimizationModes.Contains(mode, StringComparer.OrdinalIgnoreCase))
            {
                Add(RequestField.OptimizePromptMode,
                    $"model {modelName} does not offer prompt optimisation mode '{mode}'; it offers {string.Join(", ", model.PromptOptimizationModes)}. " +
                    $"'{mode}' needs {catalog.NamesOn(provider, m => m.PromptOptimizationModes.Contains(mode, StringComparer.OrdinalIgnoreCase))}.");
            }

            if (request.Thinking is string thinking && model != null)
            {
                if (model.Thinking is null)
                {
                    Add(RequestField.Thinking, $"model {modelName} has no thinking setting for prompt optimisation; leave out -Thinking, " +
                                               $"or use {catalog.NamesOn(provider, m => m.Thinking != null)}.");
                }
                else if (!model.Thinking.Modes.Contains(thinking, StringComparer.OrdinalIgnoreCase))
                {
                    Add(RequestField.Thinking, $"model {modelName} takes thinking {string.Join(" or ", model.Thinking.Modes)}; '{thinking}' was given.");
                }
                else if (references > 0 && model.Thinking.WithoutReferencesOnly.Contains(thinking, StringComparer.OrdinalIgnoreCase))
                {
                    Add(RequestField.Thinking, $"thinking '{thinking}' is allowed on {model.Family} only without reference images; {references} were given.");
                }
            }

            CheckBackground(request, model, modelName, catalog, provider, references, Add);
            CheckLayers(request, model, modelName, catalog, provider, references, Add);
            return violations;
        }

        private static void CheckBackground(RequestShape request, SeedreamModel? model, string modelName, SeedreamCatalog catalog, SeedreamProvider provider,
            int references, Action<RequestField, string> add)
        {
            if (!(request.Background is string background) || model is null)
            {
                return;
            }

            if (model.Background is null)
            {
                add(RequestField.Background, $"model {modelName} has no background setting; leave out -Background, or use {catalog.NamesOn(provider, m => m.Background != null)}.");
                return;
            }

            if (!model.Background.Modes.Contains(background, StringComparer.OrdinalIgnoreCase))
            {
                add(RequestField.Background, $"model {modelName} takes background {string.Join(", ", model.Background.Modes)}; '{background}' was given.");
                return;
            }

            if (request.LayerDecomposition)
            {
                add(RequestField.Background, "a background cannot be set with layer decomposition (the layers are always transparent PNG).");
                return;
            }

            TransparentBackgroundRules? transparent = model.Background.Transparent;
            if (transparent is null || !string.Equals(background, "transparent", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (transparent.OutputFormat is string needed && !string.Equals(request.OutputFormat, needed, StringComparison.OrdinalIgnoreCase))
            {
                add(RequestField.OutputFormat, $"a transparent background needs -OutputFormat {Capitalized(needed)}; " +
                                               (request.OutputFormat is null ? "none was set." : $"{request.OutputFormat} was given."));
            }

            if (transparent.ReferenceCount is int count && references != count)
            {
                add(RequestField.Image, $"a transparent background on {model.Family} needs exactly {count} reference image(s)" +
                                        (transparent.ReferenceFormat is null ? "" : $" in {transparent.ReferenceFormat}") +
                                        (transparent.ReferenceAlpha ? " with an alpha channel" : "") + $"; {references} were given.");
                return;
            }

            foreach (ReferenceFacts image in request.References ?? Array.Empty<ReferenceFacts>())
            {
                if (transparent.ReferenceFormat is string referenceFormat && image.Format != null && !string.Equals(image.Format, referenceFormat, StringComparison.Ordinal))
                {
                    add(RequestField.Image, $"a transparent background on {model.Family} needs a {referenceFormat} reference; {image.Description} is {image.Format}.");
                }
                else if (transparent.ReferenceAlpha && image.HasAlpha == false)
                {
                    add(RequestField.Image, $"a transparent background on {model.Family} needs a reference with an alpha channel; {image.Description} has none.");
                }
            }
        }

        private static void CheckLayers(RequestShape request, SeedreamModel? model, string modelName, SeedreamCatalog catalog, SeedreamProvider provider,
            int references, Action<RequestField, string> add)
        {
            if (!request.LayerDecomposition)
            {
                if (request.MaxLayers != null)
                {
                    add(RequestField.MaxLayers, "a layer cap needs layer decomposition.");
                }

                return;
            }

            if (model is null)
            {
                return;
            }

            LayerDecompositionRules? rules = model.LayerDecomposition;
            if (rules is null)
            {
                add(RequestField.LayerDecomposition, $"model {modelName} cannot split an image into layers; use {catalog.NamesOn(provider, m => m.LayerDecomposition != null)}.");
                return;
            }

            if (references != 1)
            {
                add(RequestField.Image, $"layer decomposition takes exactly one image; {references} were given.");
            }

            foreach (ReferenceFacts image in request.References ?? Array.Empty<ReferenceFacts>())
            {
                if (image.Format != null && !rules.InputFormats.Contains(image.Format, StringComparer.Ordinal))
                {
                    add(RequestField.Image, $"{image.Description} is {image.Format}; layer decomposition on {model.Family} takes {string.Join(", ", rules.InputFormats)}.");
                }
                else if (image.Width is int width && image.Height is int height && (width < rules.MinInputSide || height < rules.MinInputSide))
                {
                    add(RequestField.Image, $"{image.Description} is {width}x{height}; layer decomposition needs at least {rules.MinInputSide}x{rules.MinInputSide} pixels.");
                }
                else if (image.Bytes is long bytes && bytes > rules.MaxInputBytes)
                {
                    add(RequestField.Image, $"{image.Description} is {bytes:N0} bytes; layer decomposition on {model.Family} takes at most {rules.MaxInputBytes:N0} bytes ({Megabytes(rules.MaxInputBytes)}).");
                }
            }

            if (request.MaxLayers is int layers && (layers < 1 || layers > rules.MaxLayers))
            {
                add(RequestField.MaxLayers, $"model {model.Family} makes 1 to {rules.MaxLayers} layers; {layers} was given.");
            }
        }

        /// <summary>The per-image rules of the model (format, bytes, pixels, sides) for what is known of one image.</summary>
        private static string? CheckReference(ReferenceFacts image, ReferenceImageLimits limits, string? modelName, CommonLimits common)
        {
            string onModel = modelName is null ? "" : $" on model {modelName}";
            if (image.Format != null && !limits.AcceptsFormat(image.Format))
            {
                return $"{image.Description} is {image.Format}; reference images{onModel} may be {string.Join(", ", limits.Formats)}.";
            }

            if (image.Bytes is long bytes && bytes > limits.MaxBytes)
            {
                return $"{image.Description} is {bytes:N0} bytes; a reference image{onModel} may be at most {limits.MaxBytes:N0} bytes ({Megabytes(limits.MaxBytes)}).";
            }

            if (image.Width is int width && image.Height is int height)
            {
                if (width < limits.MinSide || height < limits.MinSide)
                {
                    return $"{image.Description} is {width}x{height}; width and height must each be over {limits.MinSide - 1} pixels.";
                }

                if (!IsAspectAllowed(width, height, common.MaxAspectRatio))
                {
                    return $"{image.Description} is {width}x{height}, an aspect ratio of {(double)width / height:0.###}; width / height must be between 1/{common.MaxAspectRatio} and {common.MaxAspectRatio}.";
                }

                long pixels = (long)width * height;
                if (pixels > limits.MaxPixels)
                {
                    return $"{image.Description} is {width}x{height} = {pixels:N0} pixels; at most {limits.MaxPixels:N0} are allowed{onModel}.";
                }
            }

            return null;
        }

        /// <summary>
        /// The size as the API spells it: tiers upper-case (2k -> 2K, or the model's own spelling), WxH with a lower-case
        /// x (2048X2048 -> 2048x2048), no surrounding spaces, auto lower-case. Anything else is returned trimmed.
        /// </summary>
        public static string CanonicalSize(string size, SeedreamModel? model)
        {
            string value = size.Trim();
            if (ParseDimensions(value) is { } dims)
            {
                return $"{dims.Width.ToString(CultureInfo.InvariantCulture)}x{dims.Height.ToString(CultureInfo.InvariantCulture)}";
            }

            if (model?.FindTier(value) is SizeTier tier)
            {
                return tier.Name;
            }

            if (IsTierName(value, upperCaseOnly: false))
            {
                return value.ToUpperInvariant();
            }

            return string.Equals(value, "auto", StringComparison.OrdinalIgnoreCase) ? "auto" : value;
        }

        /// <summary>A tier name: digits, optionally a decimal part, then K (1K, 1.5K); lower-case k only when <paramref name="upperCaseOnly"/> is false.</summary>
        public static bool IsTierName(string text, bool upperCaseOnly)
        {
            int last = text.Length - 1;
            if (last < 1 || !(text[last] == 'K' || (!upperCaseOnly && text[last] == 'k')))
            {
                return false;
            }

            int dot = text.IndexOf('.');
            for (int i = 0; i < last; i++)
            {
                bool digit = text[i] >= '0' && text[i] <= '9';
                if (!digit && !(i == dot && i > 0 && i < last - 1))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Parses "WxH" (x or X, surrounding spaces allowed); null when the text is not of that form.</summary>
        public static (int Width, int Height)? ParseDimensions(string text)
        {
            string[] parts = text.Trim().Split('x', 'X');
            if (parts.Length == 2 &&
                int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width) &&
                int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height) &&
                width > 0 && height > 0)
            {
                return (width, height);
            }

            return null;
        }

        /// <summary>The width and height a size value stands for on a model (no size: its default), when that can be known.</summary>
        public static (int Width, int Height)? ResolveSize(string? size, SeedreamModel? model)
        {
            if (string.IsNullOrWhiteSpace(size))
            {
                size = model?.DefaultSize ?? "2K";
            }

            if (ParseDimensions(size!) is { } dims)
            {
                return dims;
            }

            SizeTier? tier = model?.FindTier(size!);
            return tier is null ? null : (tier.Width, tier.Height);
        }

        /// <summary>The output pixels of one image of a size on a model; null when not known (auto, unknown tier).</summary>
        public static long? PixelsOf(string? size, SeedreamModel? model) =>
            ResolveSize(size, model) is { } d ? (long)d.Width * d.Height : (long?)null;

        private static RuleViolation? CheckSize(string size, SeedreamModel? model, string modelName, bool layerDecomposition, CommonLimits limits)
        {
            if (size.Trim().Length == 0)
            {
                string fallback = model?.DefaultSize is string d ? $" ({d} on {model.Family})" : "";
                return new RuleViolation(RequestField.Size, $"the size must not be empty; leave -Size out for the model's default{fallback}.");
            }

            string value = CanonicalSize(size, model);
            if (value == "auto")
            {
                // A decomposition on a model that cannot decompose is reported once, as the model's fault (CheckLayers).
                if (model is null || (layerDecomposition && model.LayerDecomposition is null))
                {
                    return null;
                }

                return model.LayerDecomposition is { } rules && rules.ExtraSizes.Contains("auto") && layerDecomposition
                    ? null
                    : new RuleViolation(RequestField.Size, "size auto (follow the input image) is only for layer decomposition" +
                        (model.LayerDecomposition is null ? $", which {model.Family} does not do." : "."));
            }

            if (ParseDimensions(value) is not { } dims)
            {
                if (model is null)
                {
                    return IsTierName(value, upperCaseOnly: false) ? null : new RuleViolation(RequestField.Size,
                        $"'{size.Trim()}' is neither a tier (such as 2K) nor WIDTHxHEIGHT (such as 2048x2048).");
                }

                return model.FindTier(value) is null
                    ? new RuleViolation(RequestField.Size,
                        $"'{size.Trim()}' is not a tier of model {modelName}; it offers {string.Join(", ", model.SizeTiers)}, or WIDTHxHEIGHT with " +
                        $"{model.MinPixels:N0} to {model.MaxPixels:N0} pixels.")
                    : null;
            }

            (int width, int height) = dims;
            if (!IsAspectAllowed(width, height, limits.MaxAspectRatio))
            {
                return new RuleViolation(RequestField.Size,
                    $"{width}x{height} has an aspect ratio of {(double)width / height:0.###}; width / height must be between 1/{limits.MaxAspectRatio} and {limits.MaxAspectRatio}.");
            }

            long pixels = (long)width * height;
            if (model != null && (pixels < model.MinPixels || pixels > model.MaxPixels))
            {
                return new RuleViolation(RequestField.Size,
                    $"{width}x{height} is {pixels:N0} pixels; model {modelName} takes {model.MinPixels:N0} to {model.MaxPixels:N0} pixels " +
                    $"(for example {string.Join(", ", model.RecommendedSizes.Take(3))}).");
            }

            return null;
        }

        /// <summary>Width / height within [1/16, 16] (the catalog's common limit), in whole numbers so that the edges are exact.</summary>
        public static bool IsAspectAllowed(long width, long height) => IsAspectAllowed(width, height, ModelCatalog.MaxAspectRatio);

        private static bool IsAspectAllowed(long width, long height, int maxRatio) =>
            width <= height * maxRatio && height <= width * maxRatio;

        /// <summary>For a model the catalog does not know: the most references any model on the provider takes.</summary>
        private static int MaxReferencesOn(SeedreamCatalog catalog, SeedreamProvider provider)
        {
            var offers = catalog.ModelsOn(provider).Select(m => m.OfferOn(provider)!.MaxReferenceImages).ToList();
            return offers.Count == 0 ? catalog.Limits.MaxReferencesPlusOutputs : offers.Max();
        }

        private static string Megabytes(long bytes) =>
            (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

        private static string Capitalized(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1);
    }
}
