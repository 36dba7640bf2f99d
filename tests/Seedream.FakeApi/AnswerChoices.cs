using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>How a stream names its events.</summary>
public enum StreamNaming
{
    /// <summary>As the contract shows: an <c>event:</c> line and the same <c>type</c> in the data.</summary>
    Both,

    /// <summary>An <c>event:</c> line only; the data carries no <c>type</c>.</summary>
    NameOnly,

    /// <summary>No <c>event:</c> line; the data's <c>type</c> alone says what the event is.</summary>
    TypeOnly,

    /// <summary>The contract's event names with a gateway's own <c>type</c> in the data (the name is what counts).</summary>
    GatewayType,
}

/// <summary>
/// What the fake decides in its answers, as a real server does, instead of echoing the request: the size it made
/// (WxH requests rounded to multiples of 16, or a size the test sets), the <c>created</c> stamp (a fixed one the
/// test sets, else the clock), and how streamed events are named, indexed and ordered. Set through
/// <c>POST /_control/answers</c>; cleared by <c>/_control/reset</c>.
/// </summary>
public sealed record AnswerChoices
{
    /// <summary>The granularity real servers round a requested WxH to.</summary>
    public const int SideMultiple = 16;

    /// <summary>Every image is made at this size (WxH), whatever was asked.</summary>
    public string? Size { get; init; }

    /// <summary>The <c>created</c> every answer and event states (Unix seconds); null: the clock.</summary>
    public long? Created { get; init; }

    public StreamNaming Naming { get; init; } = StreamNaming.Both;

    /// <summary>False: image events carry no <c>image_index</c> (their order says it).</summary>
    public bool ImageIndexes { get; init; } = true;

    /// <summary>True: the image events of a stream go out last slot first (each with its own <c>image_index</c>).</summary>
    public bool Reversed { get; init; }

    public static AnswerChoices Default { get; } = new();

    /// <summary>The size the server makes for a request: the test's, else the request's rounded to multiples of 16.</summary>
    internal (int Width, int Height) SizeFor(GenerationRequest request)
    {
        if (Size is { } fixedSize)
        {
            var parts = fixedSize.Split('x');
            return (int.Parse(parts[0]), int.Parse(parts[1]));
        }
        return (Round(request.Width), Round(request.Height));
    }

    internal long CreatedNow() => Created ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static int Round(int side) => Math.Max(SideMultiple, (int)Math.Round(side / (double)SideMultiple, MidpointRounding.AwayFromZero) * SideMultiple);

    /// <summary>Reads <c>{"size","created","naming","imageIndexes","reversed"}</c> over the current choices; null resets a field.</summary>
    internal static AnswerChoices Parse(JsonElement root, AnswerChoices current)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("expected a JSON object {\"size\",\"created\",\"naming\",\"imageIndexes\",\"reversed\"}");
        var choices = current;
        foreach (var p in root.EnumerateObject())
        {
            var value = p.Value;
            var isNull = value.ValueKind == JsonValueKind.Null;
            choices = p.Name switch
            {
                "size" => choices with
                {
                    Size = isNull ? null
                        : value.ValueKind == JsonValueKind.String && value.GetString()!.Split('x') is [var w, var h] && int.TryParse(w, out _) && int.TryParse(h, out _)
                            ? value.GetString() : throw new FormatException("size must be WxH")
                },
                "created" => choices with { Created = isNull ? null : value.TryGetInt64(out var s) ? s : throw new FormatException("created must be Unix seconds") },
                "naming" => choices with
                {
                    Naming = isNull ? StreamNaming.Both
                        : Enum.TryParse<StreamNaming>(value.GetString(), true, out var n) ? n : throw new FormatException("naming must be both, nameOnly, typeOnly or gatewayType")
                },
                "imageIndexes" => choices with { ImageIndexes = isNull || (value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new FormatException("imageIndexes must be true or false")) },
                "reversed" => choices with { Reversed = !isNull && (value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new FormatException("reversed must be true or false")) },
                _ => throw new FormatException($"unknown answer choice '{p.Name}'"),
            };
        }
        return choices;
    }

    internal string ToJson() =>
        JsonSerializer.Serialize(new { size = Size, created = Created, naming = Naming.ToString(), imageIndexes = ImageIndexes, reversed = Reversed });
}
