using System;
using Seedream.Api;

namespace Seedream
{
    /// <summary>
    /// One generated image, as New-SeedreamImage and Edit-SeedreamImage write it to the pipeline. Pipe it to
    /// Save-SeedreamResult, or to Edit-SeedreamImage to keep refining it.
    /// </summary>
    public sealed class SeedreamImage
    {
        /// <summary>Position of the image in its request's answer (image_index), from 0.</summary>
        public int Index { get; set; }

        /// <summary>The hosted image; it stops working at <see cref="ExpiresAt"/>. Null for Base64Json answers.</summary>
        public string? Url { get; set; }

        /// <summary>WxH as the API states it.</summary>
        public string? Size { get; set; }

        public int Width { get; set; }
        public int Height { get; set; }
        public string Model { get; set; } = "";
        public string Prompt { get; set; } = "";
        public GenerationMode Mode { get; set; }
        public int ReferenceCount { get; set; }
        public DateTimeOffset Created { get; set; }

        /// <summary>Created + 24 hours for hosted URLs; null when the bytes are in <see cref="ImageBytes"/>.</summary>
        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>jpeg or png: as the answer states it (output_format), else as the inline bytes show, else as asked.</summary>
        public string OutputFormat { get; set; } = "jpeg";

        /// <summary>The answer's background (transparent, opaque) where the model sends it; null otherwise.</summary>
        public string? Background { get; set; }

        /// <summary>
        /// Estimated US dollars for this image, from the catalog's list price of the model on the provider: its image
        /// price plus its share of any per-request and per-reference charge. Null for a model the catalog does not know.
        /// </summary>
        public decimal? Cost { get; set; }

        /// <summary>
        /// The answer's usage. Null for streamed images: a stream reports usage only after its last image, when the
        /// images have already gone down the pipeline (-Verbose shows it).
        /// </summary>
        public GenerationUsage? Usage { get; set; }

        public string? RequestId { get; set; }

        /// <summary>What the request sent (model, prompt, options, references by URL or name and SHA-256); Save-SeedreamResult records it in the file.</summary>
        public SeedreamRequest? Request { get; set; }

        /// <summary>
        /// What a checkpoint (-CheckpointPath) knows the request by: the SHA-256 of its canonical body (model, prompt,
        /// options, references by content hash). The same for every image of one request.
        /// </summary>
        public string? RequestHash { get; set; }

        /// <summary>The file a checkpoint says Save-SeedreamResult already wrote for this image (results recalled from a checkpoint); null otherwise.</summary>
        public string? SavedFile { get; set; }

        /// <summary>True for a result recalled from a checkpoint rather than received now.</summary>
        public bool FromCheckpoint { get; set; }

        /// <summary>The decoded image of a Base64Json answer; no view shows it.</summary>
        public byte[]? ImageBytes { get; set; }

        public bool HasImageBytes => ImageBytes != null;

        /// <summary>
        /// True for an image the module's simulator made (-Provider Simulator): drawn in process, marked "SIMULATED", never
        /// sent to a provider and never billed (Cost 0).
        /// </summary>
        public bool IsSimulated { get; set; }

        public bool IsExpired => ExpiresAt is DateTimeOffset expires && expires <= DateTimeOffset.UtcNow;

        /// <summary>How long the hosted URL still works; null for inline bytes.</summary>
        public TimeSpan? TimeLeft => ExpiresAt is DateTimeOffset expires
            ? (expires > DateTimeOffset.UtcNow ? expires - DateTimeOffset.UtcNow : TimeSpan.Zero)
            : null;

        public override string ToString() => Url ?? $"{Model} image {Index} ({Size}, {ImageBytes?.Length ?? 0:N0} bytes inline)";
    }
}
