using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Reads fault rules from the JSON of <c>POST /_control/faults</c> (an array, or one object).</summary>
internal static class FaultRuleParser
{
    public static IReadOnlyList<FaultRule> Parse(JsonElement root)
    {
        return root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().Select(ParseRule).ToArray(),
            JsonValueKind.Object => [ParseRule(root)],
            _ => throw new FormatException("Expected a JSON array of fault rules."),
        };
    }

    private static FaultRule ParseRule(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException("Each fault rule must be a JSON object.");
        string target = FaultRule.GenerateTarget, code = "", message = "", retryAfter = "";
        string? redirectTo = null, retryAfterMsText = null, body = null, lineEnding = null, prompt = null;
        int? stallAfterBytes = null, padBytes = null;
        bool chunked = false, gzip = false;
        bool hasCode = false, hasMessage = false, hasRetryAfter = false;
        int times = 1;
        int? status = null, retryAfterMs = null, delayMs = null, cutAfter = null, holdAfter = null;
        bool drop = false, truncate = false, malformed = false, html = false, errorEvent = false;
        List<int>? slots = null;

        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            if (v.ValueKind == JsonValueKind.Null) continue;
            switch (p.Name)
            {
                case "target":
                    target = String(p);
                    if (target is not (FaultRule.GenerateTarget or FaultRule.DownloadTarget or ModelsHandler.Target))
                        throw new FormatException("target must be \"generate\", \"download\" or \"models\".");
                    break;
                case "times": times = Int(p); break;
                case "status": status = Int(p); break;
                case "code": code = String(p); hasCode = true; break;
                case "message": message = String(p); hasMessage = true; break;
                case "retryAfter":
                    retryAfter = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : String(p);
                    hasRetryAfter = true;
                    break;
                case "retryAfterMs": retryAfterMs = Int(p); break;
                case "delayMs": delayMs = Int(p); break;
                case "drop": drop = Bool(p); break;
                case "truncate": truncate = Bool(p); break;
                case "malformed": malformed = Bool(p); break;
                case "html": html = Bool(p); break;
                case "errorEvent": errorEvent = Bool(p); break;
                case "cutAfterEvents": cutAfter = Int(p); break;
                case "holdAfterEvents": holdAfter = Int(p); break;
                case "stallAfterBytes": stallAfterBytes = Int(p); break;
                case "chunked": chunked = Bool(p); break;
                case "redirectTo": redirectTo = String(p); break;
                case "retryAfterMsText": retryAfterMsText = String(p); break;
                case "body": body = String(p); break;
                case "padBytes": padBytes = Int(p); break;
                case "gzip": gzip = Bool(p); break;
                case "lineEnding":
                    lineEnding = String(p);
                    if (lineEnding is not ("lf" or "crlf" or "cr"))
                        throw new FormatException("lineEnding must be \"lf\", \"crlf\" or \"cr\".");
                    break;
                case "prompt": prompt = String(p); break;
                case "errorSlots":
                    if (v.ValueKind != JsonValueKind.Array) throw new FormatException("errorSlots must be an array of integers.");
                    slots = [];
                    foreach (var item in v.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var index))
                            throw new FormatException("errorSlots must be an array of integers.");
                        slots.Add(index);
                    }
                    break;
                default:
                    throw new FormatException($"Unknown fault rule field '{p.Name}'.");
            }
        }

        return new FaultRule
        {
            Target = target,
            Times = times,
            Status = status,
            Code = hasCode ? code : null,
            Message = hasMessage ? message : null,
            RetryAfter = hasRetryAfter ? retryAfter : null,
            RetryAfterMs = retryAfterMs,
            DelayMs = delayMs,
            Drop = drop,
            Truncate = truncate,
            Malformed = malformed,
            Html = html,
            ErrorSlots = slots,
            ErrorEvent = errorEvent,
            CutAfterEvents = cutAfter,
            HoldAfterEvents = holdAfter,
            StallAfterBytes = stallAfterBytes,
            Chunked = chunked,
            RedirectTo = redirectTo,
            RetryAfterMsText = retryAfterMsText,
            Body = body,
            PadBytes = padBytes,
            Gzip = gzip,
            LineEnding = lineEnding,
            Prompt = prompt,
        };
    }

    private static string String(JsonProperty p) => p.Value.ValueKind == JsonValueKind.String
        ? p.Value.GetString()!
        : throw new FormatException($"{p.Name} must be a string.");

    private static int Int(JsonProperty p) => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var i)
        ? i
        : throw new FormatException($"{p.Name} must be an integer.");

    private static bool Bool(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"{p.Name} must be a boolean."),
    };
}
