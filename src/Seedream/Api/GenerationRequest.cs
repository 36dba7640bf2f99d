using System;
using System.Collections.Generic;

namespace Seedream.Api
{
    /// <summary>What a request asks the API to do, told by its body alone (see shared/API-CONTRACT.md).</summary>
    public enum GenerationMode
    {
        TextToImage,
        Edit,
        Fusion,
        Sequence,
        ImageToSequence,

        /// <summary>layer_decomposition: one image split into its base image and layers.</summary>
        LayerDecomposition,
    }

    /// <summary>The wire values of response_format.</summary>
    public static class ResponseFormats
    {
        public const string Url = "url";
        public const string Base64Json = "b64_json";
    }

    /// <summary>One call to POST {base}/images/generations, before it is written as JSON.</summary>
    public sealed class GenerationRequest
    {
        public string Model { get; set; } = "";
        public string Prompt { get; set; } = "";

        /// <summary>Reference images in order ("image 1", "image 2", ...): http(s) URLs or data URIs.</summary>
        public IReadOnlyList<string> Images { get; set; } = Array.Empty<string>();

        /// <summary>When set, sequential_image_generation is auto with this max_images.</summary>
        public int? MaxImages { get; set; }

        /// <summary>
        /// Whether sequential_image_generation is written at all (auto with <see cref="MaxImages"/>, else disabled).
        /// Models that make one image a request refuse the field in any value, so it is left out for them.
        /// </summary>
        public bool SequenceField { get; set; } = true;

        public string? Size { get; set; }
        public string ResponseFormat { get; set; } = ResponseFormats.Url;
        public string? OutputFormat { get; set; }
        public bool Watermark { get; set; }
        public bool Stream { get; set; }
        public string? OptimizePromptMode { get; set; }

        /// <summary>optimize_prompt_options.thinking (enabled or disabled), where the model has it.</summary>
        public string? Thinking { get; set; }

        /// <summary>background (auto, transparent or opaque), where the model has it.</summary>
        public string? Background { get; set; }

        /// <summary>layer_decomposition: true asks for the base image and its layers.</summary>
        public bool LayerDecomposition { get; set; }

        /// <summary>The most layers the model answers with (its catalog cap); never sent, it bounds <see cref="MaxOutputImages"/>.</summary>
        public int? LayerCap { get; set; }

        /// <summary>Fields merged into the top level of the body; a key here replaces the module's own field of that name.</summary>
        public IReadOnlyDictionary<string, object?>? AdditionalBody { get; set; }

        public GenerationMode Mode =>
            LayerDecomposition ? GenerationMode.LayerDecomposition :
            MaxImages.HasValue
                ? (Images.Count > 0 ? GenerationMode.ImageToSequence : GenerationMode.Sequence)
                : Images.Count switch
                {
                    0 => GenerationMode.TextToImage,
                    1 => GenerationMode.Edit,
                    _ => GenerationMode.Fusion,
                };

        /// <summary>The most images this request can produce (and so be billed for).</summary>
        public int MaxOutputImages =>
            LayerDecomposition ? 1 + (LayerCap ?? 0) :
            MaxImages is int n ? Math.Max(0, Math.Min(n, 15 - Images.Count)) : 1;
    }
}
