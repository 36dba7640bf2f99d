using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Checks a generation body against the API contract.</summary>
internal static class RequestValidator
{
    private static readonly string[] DataUriFormats = ["png", "jpeg", "webp", "bmp", "tiff", "gif"];

    /// <summary>Returns the parsed request, or the error the real API would answer.</summary>
    public static (GenerationRequest? Request, ApiError? Error) Validate(JsonElement? body, int referenceLimit)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
            return Fail("InvalidParameter", "The request body must be a JSON object.");

        // model
        if (!TryGetPresent(root, "model", out var modelElement))
            return Fail("MissingParameter", "The request failed because it is missing `model` parameter.", "model");
        if (modelElement.ValueKind != JsonValueKind.String)
            return Fail("InvalidParameter", "The parameter `model` must be a string.", "model");
        var model = modelElement.GetString()!;
        var profile = ModelCatalog.Find(model);
        if (profile is null)
            return (null, new ApiError(404, "InvalidEndpointOrModel.NotFound",
                $"The model or endpoint {model} does not exist or you do not have access to it.", "model"));

        // prompt
        if (!TryGetPresent(root, "prompt", out var promptElement))
            return Fail("MissingParameter", "The request failed because it is missing `prompt` parameter.", "prompt");
        if (promptElement.ValueKind != JsonValueKind.String)
            return Fail("InvalidParameter", "The parameter `prompt` must be a string.", "prompt");
        if (string.IsNullOrWhiteSpace(promptElement.GetString()))
            return Fail("InvalidParameter", "The parameter `prompt` must not be empty.", "prompt");

        // image
        var references = 0;
        if (TryGetPresent(root, "image", out var imageElement))
        {
            var error = CheckImages(imageElement, referenceLimit, out references);
            if (error is not null) return (null, error);
        }

        // sequential_image_generation
        var sequential = false;
        if (TryGetPresent(root, "sequential_image_generation", out var seqElement))
        {
            var mode = seqElement.ValueKind == JsonValueKind.String ? seqElement.GetString() : null;
            if (mode is not ("disabled" or "auto"))
                return Fail("InvalidParameter", "The parameter `sequential_image_generation` must be `disabled` or `auto`.", "sequential_image_generation");
            sequential = mode == "auto";
        }

        int? maxImages = null;
        if (TryGetPresent(root, "sequential_image_generation_options", out var optionsElement))
        {
            const string optionsParam = "sequential_image_generation_options";
            const string maxParam = "sequential_image_generation_options.max_images";
            if (optionsElement.ValueKind != JsonValueKind.Object)
                return Fail("InvalidParameter", $"The parameter `{optionsParam}` must be an object.", optionsParam);
            if (TryGetPresent(optionsElement, "max_images", out var maxElement))
            {
                if (maxElement.ValueKind != JsonValueKind.Number || !maxElement.TryGetInt32(out var max))
                    return Fail("InvalidParameter", $"The parameter `{maxParam}` must be an integer.", maxParam);
                if (max is < 1 or > GenerationRequest.MaxTotalImages)
                    return Fail("InvalidParameter", $"The parameter `{maxParam}` must be between 1 and 15.", maxParam);
                maxImages = max;
            }
        }
        if (sequential && references + (maxImages ?? 1) > GenerationRequest.MaxTotalImages)
            return Fail("InvalidParameter",
                $"The number of input images ({references}) plus max_images ({maxImages}) must not exceed 15.",
                "sequential_image_generation_options.max_images");

        // size
        var sizeText = ModelCatalog.DefaultSize;
        if (TryGetPresent(root, "size", out var sizeElement))
        {
            if (sizeElement.ValueKind != JsonValueKind.String)
                return Fail("InvalidParameter", "The parameter `size` must be a string.", "size");
            sizeText = sizeElement.GetString()!;
        }
        var sizeError = ParseSize(sizeText, profile, out var width, out var height);
        if (sizeError is not null) return (null, sizeError);

        // response_format
        var base64 = false;
        if (TryGetPresent(root, "response_format", out var responseFormat))
        {
            var value = responseFormat.ValueKind == JsonValueKind.String ? responseFormat.GetString() : null;
            if (value is not ("url" or "b64_json"))
                return Fail("InvalidParameter", "The parameter `response_format` must be `url` or `b64_json`.", "response_format");
            base64 = value == "b64_json";
        }

        // output_format
        var format = ImageFormat.Jpeg;
        if (TryGetPresent(root, "output_format", out var outputFormat))
        {
            var value = outputFormat.ValueKind == JsonValueKind.String ? outputFormat.GetString() : null;
            if (value is not ("jpeg" or "png"))
                return Fail("InvalidParameter", "The parameter `output_format` must be `jpeg` or `png`.", "output_format");
            if (value == "png" && !profile.AllowsPng)
                return Fail("InvalidParameter", $"The parameter `output_format` value `png` is not supported by model {model}.", "output_format");
            format = value == "png" ? ImageFormat.Png : ImageFormat.Jpeg;
        }

        // watermark, stream
        if (TryGetPresent(root, "watermark", out var watermark) && !IsBoolean(watermark))
            return Fail("InvalidParameter", "The parameter `watermark` must be a boolean.", "watermark");
        var stream = false;
        if (TryGetPresent(root, "stream", out var streamElement))
        {
            if (!IsBoolean(streamElement))
                return Fail("InvalidParameter", "The parameter `stream` must be a boolean.", "stream");
            stream = streamElement.GetBoolean();
        }

        // optimize_prompt_options
        if (TryGetPresent(root, "optimize_prompt_options", out var optimize))
        {
            const string optimizeParam = "optimize_prompt_options";
            const string modeParam = "optimize_prompt_options.mode";
            if (optimize.ValueKind != JsonValueKind.Object)
                return Fail("InvalidParameter", $"The parameter `{optimizeParam}` must be an object.", optimizeParam);
            if (TryGetPresent(optimize, "mode", out var modeElement))
            {
                var mode = modeElement.ValueKind == JsonValueKind.String ? modeElement.GetString() : null;
                if (mode is not ("standard" or "fast"))
                    return Fail("InvalidParameter", $"The parameter `{modeParam}` must be `standard` or `fast`.", modeParam);
                if (mode == "fast" && !profile.AllowsFastPromptMode)
                    return Fail("InvalidParameter", $"The parameter `{modeParam}` value `fast` is not supported by model {model}.", modeParam);
            }
        }

        return (new GenerationRequest(model, profile, references, sequential, maxImages, width, height, base64, format, stream), null);
    }

    private static (GenerationRequest?, ApiError?) Fail(string code, string message, string param = "")
        => (null, new ApiError(400, code, message, param));

    private static bool TryGetPresent(JsonElement obj, string name, out JsonElement value)
        => obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static bool IsBoolean(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static ApiError? CheckImages(JsonElement image, int limit, out int count)
    {
        count = 0;
        if (image.ValueKind == JsonValueKind.String)
        {
            count = 1;
            return CheckImageReference(image.GetString()!, 0);
        }
        if (image.ValueKind != JsonValueKind.Array)
            return new ApiError(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
        count = image.GetArrayLength();
        if (count == 0)
            return new ApiError(400, "InvalidParameter", "The parameter `image` must not be an empty array.", "image");
        if (count > limit)
            return new ApiError(400, "InvalidParameter", $"The parameter `image` holds {count} images; at most {limit} are allowed.", "image");
        var index = 0;
        foreach (var item in image.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                return new ApiError(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
            var error = CheckImageReference(item.GetString()!, index++);
            if (error is not null) return error;
        }
        return null;
    }

    private static ApiError? CheckImageReference(string value, int index)
    {
        if (value.StartsWith("data:", StringComparison.Ordinal))
        {
            if (IsValidDataUri(value)) return null;
        }
        else if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
                 && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                 && !string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        return new ApiError(400, "InvalidImageURL.InvalidFormat",
            $"The image at index {index} is neither an http(s) URL nor a data URI data:image/<format>;base64,<data>.", "image");
    }

    private static bool IsValidDataUri(string value)
    {
        if (!value.StartsWith("data:image/", StringComparison.Ordinal)) return false;
        var span = value.AsSpan("data:image/".Length);
        var semicolon = span.IndexOf(';');
        if (semicolon <= 0) return false;
        var format = span[..semicolon];
        var known = false;
        foreach (var f in DataUriFormats)
            if (format.SequenceEqual(f)) { known = true; break; }
        if (!known) return false;
        var rest = span[(semicolon + 1)..];
        if (!rest.StartsWith("base64,", StringComparison.Ordinal)) return false;
        var payload = rest["base64,".Length..];
        return payload.Length > 0 && Base64.IsValid(payload);
    }

    private static ApiError? ParseSize(string text, ModelProfile profile, out int width, out int height)
    {
        width = height = 0;
        if (ModelCatalog.TierEdge.TryGetValue(text, out var edge))
        {
            if (!profile.Tiers.Contains(text.ToUpperInvariant()))
                return new ApiError(400, "InvalidParameter",
                    $"The parameter `size` value {text} is not supported by this model; use one of {string.Join(", ", profile.Tiers)} or WxH.", "size");
            width = height = edge;
            return null;
        }
        var x = text.IndexOfAny(['x', 'X']);
        if (x <= 0
            || !int.TryParse(text.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width)
            || !int.TryParse(text.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height)
            || width <= 0 || height <= 0)
            return new ApiError(400, "InvalidParameter", $"The parameter `size` value {text} is neither a tier nor WxH.", "size");
        var pixels = (long)width * height;
        if (pixels < profile.MinPixels || pixels > profile.MaxPixels)
            return new ApiError(400, "InvalidParameter",
                $"The parameter `size` value {text} has {pixels} pixels; this model needs {profile.MinPixels}..{profile.MaxPixels}.", "size");
        if (width > 16L * height || height > 16L * width)
            return new ApiError(400, "InvalidParameter", $"The parameter `size` value {text} has an aspect ratio outside [1/16, 16].", "size");
        return null;
    }
}
