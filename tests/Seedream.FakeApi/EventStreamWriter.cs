using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Writes the server-sent events of a streamed generation, honouring the stream faults.</summary>
internal sealed class EventStreamWriter(HttpExchange exchange, ServerState state, GenerationRequest request, long created, AnswerChoices answers)
{
    private readonly string _newline = exchange.Rule?.LineEnding switch { "cr" => "\r", "crlf" => "\r\n", _ => "\n" };
    private int _sent;
    private bool _held;

    public async Task WriteAsync(IReadOnlyList<GeneratedImage> images)
    {
        var rule = exchange.Rule;
        var response = exchange.Context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        exchange.Entry.SetStatus(200);
        await response.StartAsync(exchange.Aborted);

        // With truncate on a stream, cut after the first event.
        var cutAfter = rule?.CutAfterEvents ?? (rule is { Truncate: true } ? 1 : (int?)null);

        foreach (var image in answers.Reversed ? images.Reverse() : images.AsEnumerable())
        {
            if (await StopsHereAsync(cutAfter, atEnd: false)) return;
            await WriteEventAsync(image.Succeeded ? "image_generation.partial_succeeded" : "image_generation.partial_failed",
                w => WriteImageEvent(w, image));
        }
        if (await StopsHereAsync(cutAfter, atEnd: true)) return;

        await WriteEventAsync("image_generation.completed", w =>
        {
            WriteType(w, "image_generation.completed");
            w.WriteString("model", request.Model);
            w.WriteNumber("created", created);
            Usage.Write(w, images);
        });
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: [DONE]{_newline}{_newline}"), exchange.Aborted);
        await response.Body.FlushAsync(exchange.Aborted);
    }

    /// <summary>Runs the hold / error-event / cut checks before the next event. True when the stream ended.</summary>
    private async Task<bool> StopsHereAsync(int? cutAfter, bool atEnd)
    {
        var rule = exchange.Rule;
        if (rule is null) return false;

        if (!_held && rule.HoldAfterEvents is { } hold && (_sent == hold || (atEnd && _sent < hold)))
        {
            _held = true;
            var released = await state.Hold.WaitAsync(ServerState.HoldTimeout, exchange.Aborted);
            exchange.Entry.SetHoldReleased(released);
        }

        var threshold = cutAfter ?? 0;
        if (rule.ErrorEvent && (_sent == threshold || (atEnd && _sent < threshold)))
        {
            var code = rule.Code ?? "InternalServiceError";
            var message = $"{rule.Message ?? ApiError.DefaultMessageFor(code)} request id: {exchange.RequestId}";
            await WriteEventAsync("error", w =>
            {
                w.WriteStartObject("error");
                w.WriteString("code", code);
                w.WriteString("message", message);
                w.WriteEndObject();
            });
            return true;
        }

        if (!rule.ErrorEvent && cutAfter is { } cut && (_sent == cut || (atEnd && _sent < cut)))
        {
            await exchange.AbortAfterFlushAsync();
            return true;
        }
        return false;
    }

    private void WriteImageEvent(Utf8JsonWriter w, GeneratedImage image)
    {
        WriteType(w, image.Succeeded ? "image_generation.partial_succeeded" : "image_generation.partial_failed");
        w.WriteString("model", request.Model);
        w.WriteNumber("created", created);
        if (answers.ImageIndexes) w.WriteNumber("image_index", image.Index);
        if (image.Error is { } error)
        {
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
            return;
        }
        if (image.Url is not null) w.WriteString("url", image.Url);
        else w.WriteBase64String("b64_json", image.Bytes);
        w.WriteString("size", image.SizeText);
    }

    /// <summary>The data's own <c>type</c>, as <see cref="AnswerChoices.Naming"/> says (none, the name, or a gateway's).</summary>
    private void WriteType(Utf8JsonWriter w, string name)
    {
        switch (answers.Naming)
        {
            case StreamNaming.NameOnly: break;
            case StreamNaming.GatewayType: w.WriteString("type", "gateway." + name.Replace('.', '_')); break;
            default: w.WriteString("type", name); break;
        }
    }

    private async Task WriteEventAsync(string name, Action<Utf8JsonWriter> writeFields)
    {
        var delay = state.Settings.StreamDelayMs;
        if (_sent > 0 && delay > 0) await Task.Delay(delay, exchange.Aborted);

        var buffer = new ArrayBufferWriter<byte>(1024);
        // An error event keeps its name whatever the naming (the contract's error events carry no type).
        var named = answers.Naming != StreamNaming.TypeOnly || name == "error";
        buffer.Write(Encoding.UTF8.GetBytes(named ? $"event: {name}{_newline}data: " : "data: "));
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }
        buffer.Write(Encoding.UTF8.GetBytes(_newline + _newline));

        var body = exchange.Context.Response.Body;
        await body.WriteAsync(buffer.WrittenMemory, exchange.Aborted);
        await body.FlushAsync(exchange.Aborted);
        _sent++;
        exchange.Entry.CountEvent();
    }
}
