using System;
using System.Linq;
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
        /// A layer's place in the stack of a layer decomposition (Split-SeedreamImage): 0 is the base image, higher lies
        /// above. Null for images that are not layers.
        /// </summary>
        public int? ZIndex { get; set; }

        /// <summary>Where a layer sits on the base image, in pixels (right and bottom exclusive), with the 0..1000 form; the base image covers the whole canvas.</summary>
        public SeedreamBoundingBox? BoundingBox { get; set; }

        /// <summary>The layer's short name as the model gives it (logo, headline); "base" for the base image when it has none.</summary>
        public string? LayerName { get; set; }

        /// <summary>The model's description of the layer.</summary>
        public string? LayerDescription { get; set; }

        /// <summary>The same for every layer of one answer (one decomposed image), different for every other answer.</summary>
        public string? LayerSetId { get; set; }

        /// <summary>How many images (the base and its layers) of the layer set reached the pipeline.</summary>
        public int? LayerCount { get; set; }

        public bool IsLayer => ZIndex != null;

        /// <summary>
        /// What a checkpoint (-CheckpointPath) knows the request by: the SHA-256 of its canonical body (model, prompt,
        /// options, references by content hash). The same for every image of one request.
        /// </summary>
        public string? RequestHash { get; set; }

        /// <summary>The file a checkpoint says Save-SeedreamResult already wrote for this image (results recalled from a checkpoint); null otherwise.</summary>
        public string? SavedFile { get; set; }

        /// <summary>True for a result recalled from a checkpoint rather than received now.</summary>
        public bool FromCheckpoint { get; set; }

        /// <summary>The decoded image of a Base64Json answer; no view shows it. Joined into one array on first use: saving
        /// and hashing read <see cref="Payload"/> and never ask for it.</summary>
        public byte[]? ImageBytes
        {
            get => Payload?.ToArray();
            set => Payload = value is null ? null : Api.ImagePayload.FromArray(value);
        }

        public bool HasImageBytes => Payload != null;

        /// <summary>The decoded image as the decoder left it (pieces, not copied); null for hosted URLs.</summary>
        internal Api.ImagePayload? Payload { get; set; }

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

        /// <summary>A copy of every property but the bytes: what the module keeps of a streamed image once it is written.</summary>
        internal SeedreamImage WithoutBytes()
        {
            var copy = (SeedreamImage)MemberwiseClone();
            copy.Payload = null;
            return copy;
        }

        public override string ToString() => Url ?? $"{Model} image {Index} ({Size}, {Payload?.Length ?? 0:N0} bytes inline)";
    }

    /// <summary>
    /// A layer's box on its base image: left, top, right, bottom in pixels, right and bottom exclusive (so Width is
    /// Right - Left), as the API's bounding_box.absolute; <see cref="Normalized"/> is the same box on a 0..1000 scale.
    /// </summary>
    public sealed class SeedreamBoundingBox
    {
        public int Left { get; set; }
        public int Top { get; set; }
        public int Right { get; set; }
        public int Bottom { get; set; }
        public int Width => Right - Left;
        public int Height => Bottom - Top;

        /// <summary>bounding_box.normalized: the box with the canvas as 0..1000 on each axis; null when the answer did not give it.</summary>
        public SeedreamBoundingBox? Normalized { get; set; }

        /// <summary>"left,top,right,bottom", as provenance records and checkpoints write it.</summary>
        public override string ToString() => string.Join(",", Left, Top, Right, Bottom);

        /// <summary>A box from its "left,top,right,bottom" text (and the normalised one); null when the text is not four whole numbers.</summary>
        public static SeedreamBoundingBox? Parse(string? pixels, string? normalized = null)
        {
            string[] parts = (pixels ?? "").Split(',');
            var edges = new int[4];
            if (parts.Length != 4 || !parts.Select((p, i) => int.TryParse(p, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out edges[i])).All(ok => ok))
            {
                return null;
            }

            return new SeedreamBoundingBox { Left = edges[0], Top = edges[1], Right = edges[2], Bottom = edges[3], Normalized = normalized is null ? null : Parse(normalized) };
        }
    }
}
