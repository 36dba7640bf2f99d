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

    /// <summary>What a request asks for, as far as the rules care.</summary>
    public sealed class RequestShape
    {
        public string Prompt { get; set; } = "";
        public SeedreamModel? Model { get; set; }
        public string ModelId { get; set; } = "";
        public SeedreamProvider Provider { get; set; } = ModelCatalog.DefaultProvider;
        public string? Size { get; set; }
        public int? MaxImages { get; set; }
        public string? OutputFormat { get; set; }
        public int ReferenceCount { get; set; }
        public bool Stream { get; set; }
        public string? OptimizePromptMode { get; set; }
    }

    /// <summary>Checks a request against the catalog before anything is sent (a request costs money).</summary>
    public static class RequestRules
    {
        public static IReadOnlyList<RuleViolation> Check(RequestShape request)
        {
            var violations = new List<RuleViolation>();
            SeedreamModel? model = request.Model;
            string modelName = model is null ? request.ModelId : $"{model.Id} ({model.Family})";

            if (string.IsNullOrWhiteSpace(request.Prompt))
            {
                violations.Add(new RuleViolation(RequestField.Prompt, "the prompt must not be empty; describe the image to generate."));
            }

            if (request.MaxImages is int max && (max < 1 || max > ModelCatalog.MaxImagesPerRequest))
            {
                violations.Add(new RuleViolation(RequestField.MaxImages,
                    $"the number of images must be between 1 and {ModelCatalog.MaxImagesPerRequest}; {max} was given."));
            }
            else if (request.MaxImages is int wanted && request.ReferenceCount + wanted > ModelCatalog.MaxReferencesPlusOutputs)
            {
                violations.Add(new RuleViolation(RequestField.MaxImages,
                    $"reference images plus MaxImages must be at most {ModelCatalog.MaxReferencesPlusOutputs}; " +
                    $"{request.ReferenceCount} references + {wanted} images = {request.ReferenceCount + wanted}. " +
                    $"Use at most {Math.Max(0, ModelCatalog.MaxReferencesPlusOutputs - request.ReferenceCount)} images with {request.ReferenceCount} references."));
            }

            if (request.MaxImages is int && model is { SupportsSequence: false })
            {
                violations.Add(new RuleViolation(RequestField.MaxImages, $"model {modelName} does not generate image sequences; leave out -MaxImages."));
            }

            if (request.ReferenceCount > request.Provider.MaxReferenceImages)
            {
                violations.Add(new RuleViolation(RequestField.Image,
                    $"{request.Provider.Name} accepts at most {request.Provider.MaxReferenceImages} reference images; {request.ReferenceCount} were given."));
            }

            if (request.Size is string size && size.Length > 0)
            {
                RuleViolation? sizeViolation = CheckSize(size, model, modelName);
                if (sizeViolation != null)
                {
                    violations.Add(sizeViolation);
                }
            }

            if (request.OutputFormat is string format && model != null && !model.SupportsOutputFormat(format))
            {
                violations.Add(new RuleViolation(RequestField.OutputFormat,
                    $"model {modelName} cannot write {format}; it writes {string.Join(", ", model.OutputFormats)}. " +
                    $"{Capitalized(format)} needs {FamiliesWith(m => m.SupportsOutputFormat(format))}."));
            }

            if (request.Stream && model is { SupportsStreaming: false })
            {
                violations.Add(new RuleViolation(RequestField.Stream, $"model {modelName} does not stream its answer; leave out -Stream."));
            }

            if (request.OptimizePromptMode is string mode && model != null &&
                !model.PromptOptimizationModes.Contains(mode, StringComparer.OrdinalIgnoreCase))
            {
                violations.Add(new RuleViolation(RequestField.OptimizePromptMode,
                    $"model {modelName} does not offer prompt optimisation mode '{mode}'; it offers {string.Join(", ", model.PromptOptimizationModes)}."));
            }

            return violations;
        }

        /// <summary>Parses "WxH" as the API writes it (x or X); null when the text is not of that form.</summary>
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

        /// <summary>The width and height a size value stands for on a model, when that can be known.</summary>
        public static (int Width, int Height)? ResolveSize(string? size, SeedreamModel? model)
        {
            if (string.IsNullOrEmpty(size))
            {
                size = "2K";
            }

            if (ParseDimensions(size!) is { } dims)
            {
                return dims;
            }

            SizeTier? tier = model?.FindTier(size!);
            return tier is null ? null : (tier.Width, tier.Height);
        }

        private static RuleViolation? CheckSize(string size, SeedreamModel? model, string modelName)
        {
            if (ParseDimensions(size) is not { } dims)
            {
                if (model is null)
                {
                    return LooksLikeTier(size) ? null : new RuleViolation(RequestField.Size,
                        $"'{size}' is neither a tier (such as 2K) nor WIDTHxHEIGHT (such as 2048x2048).");
                }

                return model.FindTier(size) is null
                    ? new RuleViolation(RequestField.Size,
                        $"'{size}' is not a tier of model {modelName}; it offers {string.Join(", ", model.SizeTiers)}, or WIDTHxHEIGHT with " +
                        $"{model.MinPixels:N0} to {model.MaxPixels:N0} pixels.")
                    : null;
            }

            (int width, int height) = dims;
            if (!IsAspectAllowed(width, height))
            {
                return new RuleViolation(RequestField.Size,
                    $"{width}x{height} has an aspect ratio of {(double)width / height:0.###}; width / height must be between 1/16 and 16.");
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

        /// <summary>Width / height within [1/16, 16], in whole numbers so that the edges are exact.</summary>
        public static bool IsAspectAllowed(long width, long height) =>
            width * ModelCatalog.MaxAspectRatioDenominator <= height * ModelCatalog.MaxAspectRatioNumerator &&
            height * ModelCatalog.MaxAspectRatioDenominator <= width * ModelCatalog.MaxAspectRatioNumerator;

        /// <summary>A tier is a number followed by K (1K, 2K, ...); used for models the catalog does not know.</summary>
        private static bool LooksLikeTier(string size) =>
            size.Length >= 2 && char.ToUpperInvariant(size[size.Length - 1]) == 'K' && size.Take(size.Length - 1).All(char.IsDigit);

        private static string Capitalized(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1);

        private static string FamiliesWith(Func<SeedreamModel, bool> predicate) =>
            string.Join(", ", ModelCatalog.Models.Where(predicate).Select(m => m.Family));
    }
}
