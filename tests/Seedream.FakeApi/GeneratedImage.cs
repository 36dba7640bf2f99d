namespace Seedream.FakeApi;

/// <summary>A slot's place in a layer decomposition: z_index (0 = the base), and for layers the box on the base, a name and a description.</summary>
internal sealed record LayerInfo(int ZIndex, int[]? Box, int[]? NormalizedBox, string? Name, string? Description);

/// <summary>One output slot: a success (url or base64) or a failure.</summary>
internal sealed record GeneratedImage(int Index, int Width, int Height, string? Url, byte[]? Bytes, ApiError? Error, LayerInfo? Layer = null)
{
    public bool Succeeded => Error is null;

    /// <summary>The slot's own format where it differs from the request's (a layer is always PNG).</summary>
    public ImageFormat? Format { get; init; }

    public string SizeText => $"{Width}x{Height}";
}

internal static class Usage
{
    /// <summary>output_tokens = round(sum(w*h) / 256) over the successful images.</summary>
    public static (int Images, long Tokens) Of(IReadOnlyList<GeneratedImage> images)
    {
        var ok = images.Where(i => i.Succeeded).ToArray();
        var pixels = ok.Sum(i => (long)i.Width * i.Height);
        return (ok.Length, (long)Math.Round(pixels / 256.0, MidpointRounding.AwayFromZero));
    }

    /// <summary>The usage object; newer models also state input_images (the references counted).</summary>
    public static void Write(System.Text.Json.Utf8JsonWriter writer, IReadOnlyList<GeneratedImage> images, int? inputImages = null)
    {
        var (count, tokens) = Of(images);
        writer.WriteStartObject("usage");
        writer.WriteNumber("generated_images", count);
        if (inputImages is int input) writer.WriteNumber("input_images", input);
        writer.WriteNumber("output_tokens", tokens);
        writer.WriteNumber("total_tokens", tokens);
        writer.WriteEndObject();
    }
}
