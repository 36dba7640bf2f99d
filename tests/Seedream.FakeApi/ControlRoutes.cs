using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>The unauthenticated <c>/_control/*</c> routes the tests use to script and inspect the fake.</summary>
internal sealed class ControlRoutes(ServerState state, Action requestShutdown)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/_control/health", (RequestDelegate)(ctx => WriteTextAsync(ctx, 200, "ok")));
        app.MapGet("/_control/requests", (RequestDelegate)(ctx => WriteJsonAsync(ctx, 200, RequestsJson(state.Recorder.Snapshot()))));
        app.MapDelete("/_control/requests", (RequestDelegate)(ctx =>
        {
            state.Recorder.Clear();
            return WriteTextAsync(ctx, 200, "ok");
        }));
        app.MapGet("/_control/settings", (RequestDelegate)(ctx => WriteJsonAsync(ctx, 200, SettingsJson(state.Settings))));
        app.MapPost("/_control/settings", (RequestDelegate)UpdateSettingsAsync);
        app.MapPost("/_control/faults", (RequestDelegate)AddFaultsAsync);
        app.MapGet("/_control/answers", (RequestDelegate)(ctx => WriteJsonAsync(ctx, 200, Encoding.UTF8.GetBytes(state.Answers.ToJson()))));
        app.MapPost("/_control/answers", (RequestDelegate)SetAnswersAsync);
        app.MapDelete("/_control/faults", (RequestDelegate)(ctx =>
        {
            state.Faults.Clear();
            return WriteTextAsync(ctx, 200, "ok");
        }));
        app.MapPost("/_control/release", (RequestDelegate)(ctx =>
        {
            state.Hold.Release();
            return WriteTextAsync(ctx, 200, "ok");
        }));
        app.MapPost("/_control/reset", (RequestDelegate)(ctx =>
        {
            state.Reset();
            return WriteTextAsync(ctx, 200, "ok");
        }));
        app.MapPost("/_control/shutdown", (RequestDelegate)(ctx =>
        {
            ctx.Response.OnCompleted(() =>
            {
                requestShutdown();
                return Task.CompletedTask;
            });
            return WriteTextAsync(ctx, 200, "ok");
        }));
    }

    private async Task UpdateSettingsAsync(HttpContext ctx)
    {
        var root = await ReadJsonAsync(ctx);
        if (root is not { ValueKind: JsonValueKind.Object } obj)
        {
            await WriteTextAsync(ctx, 400, "expected a JSON object {\"latencyMs\",\"streamDelayMs\",\"imagePaddingBytes\"}");
            return;
        }
        int? latency = null, streamDelay = null, padding = null;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null) continue;
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var value))
            {
                await WriteTextAsync(ctx, 400, $"{p.Name} must be an integer");
                return;
            }
            switch (p.Name)
            {
                case "latencyMs": latency = value; break;
                case "streamDelayMs": streamDelay = value; break;
                case "imagePaddingBytes": padding = value; break;
                default:
                    await WriteTextAsync(ctx, 400, $"unknown setting '{p.Name}'");
                    return;
            }
        }
        await WriteJsonAsync(ctx, 200, SettingsJson(state.UpdateSettings(latency, streamDelay, padding)));
    }

    private async Task SetAnswersAsync(HttpContext ctx)
    {
        var root = await ReadJsonAsync(ctx);
        try
        {
            state.Answers = AnswerChoices.Parse(root ?? default, state.Answers);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            await WriteTextAsync(ctx, 400, ex.Message);
            return;
        }
        await WriteJsonAsync(ctx, 200, Encoding.UTF8.GetBytes(state.Answers.ToJson()));
    }

    private async Task AddFaultsAsync(HttpContext ctx)
    {
        var root = await ReadJsonAsync(ctx);
        if (root is null)
        {
            await WriteTextAsync(ctx, 400, "expected a JSON array of fault rules");
            return;
        }
        IReadOnlyList<FaultRule> rules;
        try
        {
            rules = FaultRuleParser.Parse(root.Value);
        }
        catch (FormatException ex)
        {
            await WriteTextAsync(ctx, 400, ex.Message);
            return;
        }
        state.Faults.Add(rules);
        await WriteJsonAsync(ctx, 200, Encoding.UTF8.GetBytes($"{{\"pending\":{state.Faults.Pending}}}"));
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext ctx)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(ctx.Request.Body, default, ctx.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] SettingsJson(FakeServerSettings s)
        => Encoding.UTF8.GetBytes($"{{\"latencyMs\":{s.LatencyMs},\"streamDelayMs\":{s.StreamDelayMs},\"imagePaddingBytes\":{s.ImagePaddingBytes}}}");

    internal static byte[] RequestsJson(IReadOnlyList<RecordedRequest> requests)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            w.WriteStartArray();
            foreach (var r in requests)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("target", r.Target);
                w.WriteString("method", r.Method);
                w.WriteString("path", r.Path);
                w.WriteString("query", r.Query);
                w.WriteString("authorization", r.Authorization);
                w.WriteString("contentType", r.ContentType);
                w.WritePropertyName("body");
                if (r.Body is { } body) body.WriteTo(w);
                else w.WriteNullValue();
                w.WriteString("bodyText", r.BodyText);
                w.WriteNumber("status", r.Status);
                w.WriteNumber("eventsSent", r.EventsSent);
                w.WritePropertyName("holdReleased");
                if (r.HoldReleased is { } released) w.WriteBooleanValue(released);
                else w.WriteNullValue();
                w.WriteString("receivedAt", r.ReceivedAt);
                w.WriteBoolean("aborted", r.Aborted);
                w.WriteString("userAgent", r.UserAgent);
                w.WriteString("expect", r.Expect);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    private static async Task WriteTextAsync(HttpContext ctx, int status, string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }
}
