using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Writes the server-sent events of a streamed generation, honouring the stream faults.</summary>
internal sealed class EventStreamWriter(HttpExchange exchange, ServerState state, GenerationRequest request, long created)
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

        foreach (var image in images)
        {
            if (await StopsHereAsync(cutAfter, atEnd: false)) return;
            await WriteEventAsync(image.Succeeded ? "image_generation.partial_succeeded" : "image_generation.partial_failed",
                w => WriteImageEvent(w, image));
        }
        if (await StopsHereAsync(cutAfter, atEnd: true)) return;

        await WriteEventAsync("image_generation.completed", w =>
        {
            w.WriteString("type", "image_generation.completed");
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
        w.WriteString("type", image.Succeeded ? "image_generation.partial_succeeded" : "image_generation.partial_failed");
        w.WriteString("model", request.Model);
        w.WriteNumber("created", created);
        w.WriteNumber("image_index", image.Index);
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

    private async Task WriteEventAsync(string name, Action<Utf8JsonWriter> writeFields)
    {
        var delay = state.Settings.StreamDelayMs;
        if (_sent > 0 && delay > 0) await Task.Delay(delay, exchange.Aborted);

        var buffer = new ArrayBufferWriter<byte>(1024);
        buffer.Write(Encoding.UTF8.GetBytes($"event: {name}{_newline}data: "));
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
