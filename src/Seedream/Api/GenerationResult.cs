using System;
using System.Collections.Generic;

namespace Seedream.Api
{
    /// <summary>The error object the API puts in an error body, a failed data[] slot or a stream event.</summary>
    public sealed class ApiError
    {
        public ApiError(string code, string message, string? param = null, string? type = null)
        {
            Code = code;
            Message = message;
            Param = param;
            Type = type;
        }

        public string Code { get; }
        public string Message { get; }
        public string? Param { get; }
        public string? Type { get; }
        public override string ToString() => $"{Code}: {Message}";
    }

    /// <summary>What the API reports as billed: generated images and tokens.</summary>
    public sealed class GenerationUsage
    {
        public GenerationUsage(int generatedImages, long outputTokens, long totalTokens, int? inputImages = null)
        {
            GeneratedImages = generatedImages;
            OutputTokens = outputTokens;
            TotalTokens = totalTokens;
            InputImages = inputImages;
        }

        public int GeneratedImages { get; }
        public long OutputTokens { get; }
        public long TotalTokens { get; }

        /// <summary>usage.input_images: the reference images the provider counted (newer models); null when not sent.</summary>
        public int? InputImages { get; }
        public override string ToString() => $"{GeneratedImages} images, {TotalTokens} tokens";
    }

    /// <summary>One slot of the answer: an image (a URL or its decoded bytes) or the error that took its place.</summary>
    public sealed class GeneratedImage
    {
        public int Index { get; set; }
        public string? Url { get; set; }

        /// <summary>The decoded bytes of a b64_json answer, as the decoder's pieces.</summary>
        public ImagePayload? Payload { get; set; }

        /// <summary>The same bytes as one array (joined on first use; see <see cref="ImagePayload.ToArray"/>).</summary>
        public byte[]? Bytes
        {
            get => Payload?.ToArray();
            set => Payload = value is null ? null : ImagePayload.FromArray(value);
        }

        /// <summary>The size as the API states it, WxH.</summary>
        public string? Size { get; set; }

        /// <summary>output_format as the answer states it (newer models send it); null when not sent.</summary>
        public string? OutputFormat { get; set; }

        /// <summary>background as the answer states it; null when not sent.</summary>
        public string? Background { get; set; }

        /// <summary>z_index of a layer decomposition's slot (0 = the base image); null for other answers.</summary>
        public int? ZIndex { get; set; }

        /// <summary>bounding_box.absolute: left, top, right, bottom in pixels (right and bottom exclusive); null when not sent.</summary>
        public int[]? BoundingBox { get; set; }

        /// <summary>bounding_box.normalized: the same on a 0..1000 scale; null when not sent.</summary>
        public int[]? NormalizedBoundingBox { get; set; }

        /// <summary>A layer's name and description as the answer gives them.</summary>
        public string? LayerName { get; set; }

        public string? LayerDescription { get; set; }

        public ApiError? Error { get; set; }
        public string? Model { get; set; }
        public DateTimeOffset? Created { get; set; }

        /// <summary>The request id of the answer this slot came in.</summary>
        public string? RequestId { get; set; }

        public bool Succeeded => Error is null;

        /// <summary>A copy of the slot (every field) without its bytes, for what is kept once the image was handed over.</summary>
        internal GeneratedImage WithoutBytes()
        {
            var copy = (GeneratedImage)MemberwiseClone();
            copy.Payload = null;
            return copy;
        }
    }

    /// <summary>The whole answer to one request, after every image has arrived.</summary>
    public sealed class GenerationResult
    {
        public string Model { get; set; } = "";
        public DateTimeOffset Created { get; set; }
        public IList<GeneratedImage> Images { get; } = new List<GeneratedImage>();
        public GenerationUsage? Usage { get; set; }

        /// <summary>A root "error" object of a success answer (a gateway's way to fail with 200); null when there is none.</summary>
        public ApiError? Error { get; set; }

        public string? RequestId { get; set; }
        public int StatusCode { get; set; }
        public int Attempts { get; set; }
        public TimeSpan Elapsed { get; set; }
    }
}
