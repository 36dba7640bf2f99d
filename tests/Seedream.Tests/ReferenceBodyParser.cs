using System.Text.Json;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>
/// The plain whole-document reading of a success body, kept only as the oracle the incremental
/// <see cref="GenerationBodyReader"/> is compared with. It uses the product's own slot and usage rules.
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
                GeneratedImage image = ResponseParser.ReadImage(item, index++);
                image.Model = result.Model;
                image.Created = result.Created;
                result.Images.Add(image);
            }
        }

        if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
        {
            result.Usage = ResponseParser.ReadUsage(usage);
        }
    }
}
