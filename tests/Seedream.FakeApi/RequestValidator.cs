using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>
/// Checks a generation body as strictly as the contract says the real API does: ids in the route's own form, exact
/// tier spelling (upper-case K) and a lower-case x, no surrounding spaces, the model's sizes and formats, fields a model
/// does not accept refused in any value, and the per-image rules on data URIs.
/// </summary>
internal static class RequestValidator
{
    private const int MinSide = 15;
    private const long MaxImagePixels = 36_000_000;
    private const int MaxAspect = 16;

    /// <summary>Returns the parsed request, or the error the real API would answer.</summary>
    public static (GenerationRequest? Request, ApiError? Error) Validate(JsonElement? body, ProviderRoute route)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
            return Fail("InvalidParameter", "The request body must be a JSON object.");

        // model
        if (!TryGetPresent(root, "model", out var modelElement))
            return Fail("MissingParameter", "The request failed because it is missing `model` parameter.", "model");
        if (modelElement.ValueKind != JsonValueKind.String)
            return Fail("InvalidParameter", "The parameter `model` must be a string.", "model");
        var model = modelElement.GetString()!;
        var entry = ModelCatalog.Find(route, model);
        if (entry is null || entry.Status == "Shutdown")
            return (null, new ApiError(404, "InvalidEndpointOrModel.NotFound",
                $"The model or endpoint {model} does not exist or you do not have access to it.", "model"));
        var profile = entry.Profile;

        // fields the model does not accept: refused whatever their value ("disabled" and false included)
        foreach (var (field, accepted) in new[]
                 {
                     ("sequential_image_generation", profile.Sequence), ("sequential_image_generation_options", profile.Sequence),
                     ("stream", profile.Stream), ("background", profile.Backgrounds.Count > 0), ("layer_decomposition", profile.LayerCap > 0),
                 })
        {
            if (!accepted && root.TryGetProperty(field, out _))
                return Fail("InvalidParameter", $"The parameter `{field}` is not supported by model {model}.", field);
        }

        // layer_decomposition (read first: it allows an empty prompt and size auto)
        var layers = false;
        if (TryGetPresent(root, "layer_decomposition", out var layerElement))
        {
            if (!IsBoolean(layerElement))
                return Fail("InvalidParameter", "The parameter `layer_decomposition` must be a boolean.", "layer_decomposition");
            layers = layerElement.GetBoolean();
        }

        // prompt
        if (!TryGetPresent(root, "prompt", out var promptElement))
            return Fail("MissingParameter", "The request failed because it is missing `prompt` parameter.", "prompt");
        if (promptElement.ValueKind != JsonValueKind.String)
            return Fail("InvalidParameter", "The parameter `prompt` must be a string.", "prompt");
        if (string.IsNullOrWhiteSpace(promptElement.GetString()) && !layers)
            return Fail("InvalidParameter", "The parameter `prompt` must not be empty.", "prompt");

        // image
        var images = new List<ImageFacts?>();
        if (TryGetPresent(root, "image", out var imageElement))
        {
            var error = CheckImages(imageElement, profile, profile.ReferenceLimit(route), images, layers);
            if (error is not null) return (null, error);
        }
        var references = images.Count;
        if (layers && references != 1)
            return Fail("InvalidParameter", $"Layer decomposition takes exactly one image; the request holds {references}.", "image");
        if (layers && images[0] is { } input && (input.Width < ModelCatalog.LayerInputMinSide || input.Height < ModelCatalog.LayerInputMinSide))
            return Fail("InvalidParameter", $"The image for layer decomposition is {input.Width}x{input.Height}; it must be at least 512x512.", "image");

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
        int width, height;
        if (sizeText == "auto" && layers)
        {
            (width, height) = images[0] is { } follow ? (follow.Width, follow.Height) : (2048, 2048);
        }
        else
        {
            var sizeError = ParseSize(sizeText, profile, out width, out height);
            if (sizeError is not null) return (null, sizeError);
        }

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
            const string thinkingParam = "optimize_prompt_options.thinking";
            if (optimize.ValueKind != JsonValueKind.Object)
                return Fail("InvalidParameter", $"The parameter `{optimizeParam}` must be an object.", optimizeParam);
            if (TryGetPresent(optimize, "mode", out var modeElement))
            {
                var mode = modeElement.ValueKind == JsonValueKind.String ? modeElement.GetString() : null;
                if (mode is not ("standard" or "fast"))
                    return Fail("InvalidParameter", $"The parameter `{modeParam}` must be `standard` or `fast`.", modeParam);
                if (!profile.PromptModes.Contains(mode))
                    return Fail("InvalidParameter", $"The parameter `{modeParam}` value `{mode}` is not supported by model {model}.", modeParam);
            }
            if (optimize.TryGetProperty("thinking", out var thinkingElement))
            {
                if (!profile.Thinking)
                    return Fail("InvalidParameter", $"The parameter `{thinkingParam}` is not supported by model {model}.", thinkingParam);
                var thinking = thinkingElement.ValueKind == JsonValueKind.String ? thinkingElement.GetString() : null;
                if (thinking is not ("enabled" or "disabled"))
                    return Fail("InvalidParameter", $"The parameter `{thinkingParam}` must be `enabled` or `disabled`.", thinkingParam);
                if (thinking == "disabled" && references > 0)
                    return Fail("InvalidParameter", $"The parameter `{thinkingParam}` value `disabled` is not supported with reference images.", thinkingParam);
            }
        }

        // background
        string? background = null;
        if (TryGetPresent(root, "background", out var backgroundElement))
        {
            background = backgroundElement.ValueKind == JsonValueKind.String ? backgroundElement.GetString() : null;
            if (background is null || !profile.Backgrounds.Contains(background))
                return Fail("InvalidParameter", $"The parameter `background` must be one of {string.Join(", ", profile.Backgrounds)} for model {model}.", "background");
            if (layers)
                return Fail("InvalidParameter", "The parameter `background` cannot be used with `layer_decomposition`.", "background");
            if (background == "transparent" && format != ImageFormat.Png)
                return Fail("InvalidParameter", "The parameter `background` value `transparent` needs `output_format` png.", "background");
            if (background == "transparent" && profile.TransparentNeedsAlphaReference &&
                (references != 1 || images[0] is { } reference && (reference.Format != "png" || !reference.HasAlpha)))
                return Fail("InvalidParameter", $"A transparent background on model {model} needs exactly one PNG reference image with an alpha channel.", "image");
        }

        return (new GenerationRequest(model, profile, references, sequential, maxImages, width, height, base64, format, stream, background, layers), null);
    }

    private static (GenerationRequest?, ApiError?) Fail(string code, string message, string param = "")
        => (null, new ApiError(400, code, message, param));

    private static bool TryGetPresent(JsonElement obj, string name, out JsonElement value)
        => obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static bool IsBoolean(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    /// <summary>The image field: one string or an array; each checked; what is known of each data URI's image added to <paramref name="images"/>.</summary>
    private static ApiError? CheckImages(JsonElement image, ModelProfile profile, int limit, List<ImageFacts?> images, bool layers)
    {
        if (image.ValueKind == JsonValueKind.String)
            return CheckImageReference(image.GetString()!, 0, profile, images, layers);
        if (image.ValueKind != JsonValueKind.Array)
            return new ApiError(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
        var count = image.GetArrayLength();
        if (count == 0)
            return new ApiError(400, "InvalidParameter", "The parameter `image` must not be an empty array.", "image");
        if (count > limit)
            return new ApiError(400, "InvalidParameter", $"The parameter `image` holds {count} images; at most {limit} are allowed.", "image");
        var index = 0;
        foreach (var item in image.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                return new ApiError(400, "InvalidParameter", "The parameter `image` must be a string or an array of strings.", "image");
            var error = CheckImageReference(item.GetString()!, index++, profile, images, layers);
            if (error is not null) return error;
        }
        return null;
    }

    private static ApiError? CheckImageReference(string value, int index, ModelProfile profile, List<ImageFacts?> images, bool layers)
    {
        if (value.StartsWith("data:", StringComparison.Ordinal))
            return CheckDataUri(value, index, profile, images, layers);
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host) && value.Trim().Length == value.Length)
        {
            images.Add(null); // fetched by the real service later: nothing more is known here
            return null;
        }
        return InvalidFormat(index);
    }

    private static ApiError InvalidFormat(int index) => new(400, "InvalidImageURL.InvalidFormat",
        $"The image at index {index} is neither an http(s) URL nor a data URI data:image/<format>;base64,<data>.", "image");

    /// <summary>data:image/&lt;lower-case format&gt;;base64,&lt;payload&gt;, then the per-image rules on the decoded image (a decomposition's own formats and bytes).</summary>
    private static ApiError? CheckDataUri(string value, int index, ModelProfile profile, List<ImageFacts?> images, bool layers)
    {
        var formats = layers ? ModelCatalog.LayerInputFormats : profile.ImageFormats;
        var maxBytes = layers ? ModelCatalog.LayerInputMaxBytes : profile.MaxImageBytes;
        if (!value.StartsWith("data:image/", StringComparison.Ordinal)) return InvalidFormat(index);
        var span = value.AsSpan("data:image/".Length);
        var semicolon = span.IndexOf(';');
        if (semicolon <= 0) return InvalidFormat(index);
        var declared = span[..semicolon].ToString();
        var rest = span[(semicolon + 1)..];
        if (!rest.StartsWith("base64,", StringComparison.Ordinal)) return InvalidFormat(index);
        var payload = rest["base64,".Length..];
        if (payload.Length == 0 || !Base64.IsValid(payload, out var decodedLength)) return InvalidFormat(index);
        if (!formats.Contains(declared))
            return new ApiError(400, "InvalidParameter", $"The image at index {index} is image/{declared}; {(layers ? "layer decomposition" : "this model")} takes {string.Join(", ", formats)}.", "image");
        if (decodedLength > maxBytes)
            return new ApiError(400, "InvalidParameter", $"The image at index {index} is {decodedLength} bytes; at most {maxBytes} are allowed.", "image");

        var bytes = Convert.FromBase64String(payload.ToString());
        if (declared is "heic" or "heif")
        {
            images.Add(null); // the fake does not read HEIF containers; the format and size were checked
            return null;
        }
        if (ImageProbe.Read(bytes) is not { } facts || facts.Format != declared)
            return new ApiError(400, "InvalidParameter", $"The image at index {index} is not a readable image/{declared}.", "image");
        if (facts.Width < MinSide || facts.Height < MinSide)
            return new ApiError(400, "InvalidParameter", $"The image at index {index} is {facts.Width}x{facts.Height}; width and height must be over 14 pixels.", "image");
        if ((long)facts.Width > (long)facts.Height * MaxAspect || (long)facts.Height > (long)facts.Width * MaxAspect)
            return new ApiError(400, "InvalidParameter", $"The image at index {index} is {facts.Width}x{facts.Height}; its aspect ratio must be within [1/16, 16].", "image");
        if ((long)facts.Width * facts.Height > MaxImagePixels)
            return new ApiError(400, "InvalidParameter", $"The image at index {index} has more than {MaxImagePixels} pixels.", "image");
        images.Add(facts);
        return null;
    }

    /// <summary>A tier exactly as the model names it (2K, 1.5K), or WxH with a lower-case x and nothing around it.</summary>
    private static ApiError? ParseSize(string text, ModelProfile profile, out int width, out int height)
    {
        width = height = 0;
        if (profile.Tiers.TryGetValue(text, out var edge))
        {
            width = height = edge;
            return null;
        }
        var x = text.IndexOf('x');
        if (x <= 0
            || !int.TryParse(text.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out width)
            || !int.TryParse(text.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out height)
            || width <= 0 || height <= 0)
            return new ApiError(400, "InvalidParameter",
                $"The parameter `size` value {text} is neither a tier of this model ({string.Join(", ", profile.Tiers.Keys)}) nor WxH.", "size");
        var pixels = (long)width * height;
        if (pixels < profile.MinPixels || pixels > profile.MaxPixels)
            return new ApiError(400, "InvalidParameter",
                $"The parameter `size` value {text} has {pixels} pixels; this model needs {profile.MinPixels}..{profile.MaxPixels}.", "size");
        if (width > 16L * height || height > 16L * width)
            return new ApiError(400, "InvalidParameter", $"The parameter `size` value {text} has an aspect ratio outside [1/16, 16].", "size");
        return null;
    }
}
