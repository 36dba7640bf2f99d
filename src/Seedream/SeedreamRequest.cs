using System;
using System.Collections.Generic;
using System.Linq;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;

namespace Seedream
{
    /// <summary>Where a reference image came from.</summary>
    public enum SeedreamReferenceKind
    {
        /// <summary>An http(s) URL, sent as is (an earlier result's hosted URL too).</summary>
        Url,

        /// <summary>A local file, sent as a data URI; recorded by its name and SHA-256.</summary>
        File,

        /// <summary>An earlier Base64Json result's bytes, sent as a data URI; recorded by SHA-256.</summary>
        Result,

        /// <summary>A data URI given as such; recorded by its format and the SHA-256 of its bytes.</summary>
        DataUri,
    }

    /// <summary>One reference image of a request as recorded: never a data URI, never a machine path.</summary>
    public sealed class SeedreamReference
    {
        public SeedreamReferenceKind Kind { get; set; }

        /// <summary>The URL as sent (Url references only).</summary>
        public string? Url { get; set; }

        /// <summary>The file name without its folder (File references), or a short description (Result).</summary>
        public string? Name { get; set; }

        /// <summary>Lower-case hex SHA-256 of the bytes sent (every kind but Url).</summary>
        public string? Sha256 { get; set; }

        /// <summary>png, jpeg, webp, bmp, tiff or gif, where the bytes were seen.</summary>
        public string? Format { get; set; }

        public override string ToString() => Kind switch
        {
            SeedreamReferenceKind.Url => Url ?? "",
            SeedreamReferenceKind.File => $"{Name} (sha256 {Sha256})",
            _ => $"{Kind} {Format} (sha256 {Sha256})",
        };
    }

    /// <summary>
    /// What a New-SeedreamImage or Edit-SeedreamImage request sent, as recorded with each of its images (and in saved
    /// files' provenance). Values are the body's own (output_format "png", response_format "b64_json"); null means
    /// the field was not sent. Adding a request field: a property here and a line in <see cref="From"/>.
    /// </summary>
    public sealed class SeedreamRequest
    {
        /// <summary>The model id as sent.</summary>
        public string Model { get; set; } = "";

        /// <summary>The catalog's family name (5.0-lite, 4.5, ...); null for ids the catalog does not know.</summary>
        public string? ModelFamily { get; set; }

        public string Provider { get; set; } = "";
        public string Prompt { get; set; } = "";
        public GenerationMode Mode { get; set; }

        /// <summary>The size as sent (a tier such as 2K, or WxH); null when not sent.</summary>
        public string? Size { get; set; }

        public string? OutputFormat { get; set; }
        public string ResponseFormat { get; set; } = ResponseFormats.Url;
        public bool Watermark { get; set; }

        /// <summary>sequential_image_generation_options.max_images; null when no sequence was asked for.</summary>
        public int? MaxImages { get; set; }

        public bool Stream { get; set; }
        public string? OptimizePromptMode { get; set; }

        /// <summary>optimize_prompt_options.thinking (enabled, disabled); null when not sent.</summary>
        public string? Thinking { get; set; }

        /// <summary>background (auto, transparent, opaque); null when not sent.</summary>
        public string? Background { get; set; }

        /// <summary>layer_decomposition: the request asked for the base image and its layers.</summary>
        public bool LayerDecomposition { get; set; }

        /// <summary>-AdditionalBody as JSON, every string over 96 characters shortened (so no payload is kept); null when none.</summary>
        public string? AdditionalBody { get; set; }

        /// <summary>The catalog's list price of one image of this request's size on its provider (references and per-request charges aside), in US dollars; null when the model is unknown.</summary>
        public decimal? EstimatedCostPerImage { get; set; }

        public SeedreamReference[] References { get; set; } = Array.Empty<SeedreamReference>();

        public static SeedreamRequest From(GenerationRequest request, SeedreamModel? model, string provider, IEnumerable<ReferenceImage> references) =>
            new SeedreamRequest
            {
                Model = request.Model,
                ModelFamily = model?.Family,
                Provider = provider,
                Prompt = request.Prompt,
                Mode = request.Mode,
                Size = request.Size,
                OutputFormat = request.OutputFormat,
                ResponseFormat = request.ResponseFormat,
                Watermark = request.Watermark,
                MaxImages = request.MaxImages,
                Stream = request.Stream,
                OptimizePromptMode = request.OptimizePromptMode,
                Thinking = request.Thinking,
                Background = request.Background,
                LayerDecomposition = request.LayerDecomposition,
                AdditionalBody = request.AdditionalBody is null ? null : RequestBodyWriter.ValueToDisplayJson(request.AdditionalBody),
                EstimatedCostPerImage = model?.Offers.FirstOrDefault(o => o.Provider.Name == provider)?.Price.ImagePrice(RequestRules.PixelsOf(request.Size, model)),
                References = references.Select(r => r.Reference).ToArray(),
            };

        public override string ToString() => $"{Mode} with {Model} on {Provider}: '{Prompt}'";
    }
}
