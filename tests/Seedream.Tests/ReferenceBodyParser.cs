using System.Text.Json;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>
/// The plain whole-document reading of success bodies and stream events, kept only as the oracle the incremental
/// <see cref="GenerationBodyReader"/> is compared with. It applies the product's own <see cref="SlotRules"/>.
/// </summary>
internal static class ReferenceBodyParser
{
    public static void Read(JsonElement root, GenerationResult result)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The answer is not a JSON object.");
        }

        if (root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String)
        {
            result.Model = model.GetString()!;
        }

        if (root.TryGetProperty("created", out JsonElement created) && created.TryGetInt64(out long seconds))
        {
            result.Created = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in data.EnumerateArray())
            {
                GeneratedImage image = ReadImage(item, index++);
                image.Model = result.Model;
                image.Created = result.Created;
                result.Images.Add(image);
            }
        }

        if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
        {
            result.Usage = ReadUsage(usage);
        }
    }

    /// <summary>One data[] slot, or the image fields of a partial_succeeded/partial_failed event.</summary>
    public static GeneratedImage ReadImage(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return SlotRules.NotAnObject(index);
        }

        var image = new GeneratedImage { Index = index };
        if (item.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
        {
            image.Error = ReadError(error);
        }

        image.Url = GetString(item, "url");
        image.Size = GetString(item, "size");
        image.OutputFormat = GetString(item, "output_format");
        image.Background = GetString(item, "background");
        if (item.TryGetProperty("b64_json", out JsonElement base64) && base64.ValueKind == JsonValueKind.String)
        {
            image.Bytes = base64.GetBytesFromBase64();
        }

        return SlotRules.Complete(image);
    }

    public static GenerationUsage ReadUsage(JsonElement usage) =>
        new(
            (int)GetInt64(usage, "generated_images"),
            GetInt64(usage, "output_tokens"),
            GetInt64(usage, "total_tokens"),
            usage.TryGetProperty("input_images", out JsonElement input) && input.TryGetInt64(out long count) && count >= 0 && count <= int.MaxValue ? (int)count : null);

    public static ApiError ReadError(JsonElement error) =>
        SlotRules.Error(GetString(error, "code"), GetString(error, "message"), GetString(error, "param"), GetString(error, "type"));

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long GetInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.TryGetInt64(out long number) ? number : 0;
}
