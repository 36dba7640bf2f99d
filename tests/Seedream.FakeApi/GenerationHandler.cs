using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>Answers <c>POST {v1|api/v3|volcengine/api/v3}/images/generations</c>; the route says which provider's ids and limits apply.</summary>
internal sealed class GenerationHandler(ServerState state)
{
    private const string SlotFailureCode = "OutputImageSensitiveContentDetected";

    public async Task HandleAsync(HttpContext context, ProviderRoute route)
    {
        var requestId = HttpExchange.RequestIdOf(context);
        HttpExchange? exchange = null;
        try
        {
            var (body, bodyText) = await ReadBodyAsync(context.Request, context.RequestAborted);
            var authorization = state.CheckAuthorization(context.Request);
            var entry = state.Recorder.Add(requestId, FaultRule.GenerateTarget, context.Request, authorization, body, bodyText);
            var prompt = body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("prompt", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            exchange = new HttpExchange(context, requestId, entry, state.Faults.Take(FaultRule.GenerateTarget, prompt), state);

            var latency = state.Settings.LatencyMs;
            if (latency > 0) await Task.Delay(latency, context.RequestAborted);

            if (await exchange.ApplyImmediateFaultAsync(FaultRule.GenerateTarget)) return;

            if (authorization != "ok")
            {
                await exchange.SendErrorAsync(new ApiError(401, "AuthenticationError",
                    ApiError.DefaultMessageFor("AuthenticationError")));
                return;
            }

            var (request, error) = RequestValidator.Validate(body, route);
            if (error is not null)
            {
                await exchange.SendErrorAsync(error);
                return;
            }

            var images = Produce(context, request!, exchange.Rule);
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (request!.Stream)
                await new EventStreamWriter(exchange, state, request, created).WriteAsync(images);
            else
            {
                if (exchange.Rule?.HoldAfterEvents is not null)
                    exchange.Entry.SetHoldReleased(await state.Hold.WaitAsync(ServerState.HoldTimeout, context.RequestAborted));
                await exchange.SendAsync(200, "application/json; charset=utf-8", BuildResponse(request, created, images, exchange.Rule?.PadBytes ?? 0));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing more to send. Recorded, so tests can see a cancelled request was abandoned.
            exchange?.Entry.SetAborted();
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The connection broke while writing.
            exchange?.Entry.SetAborted();
        }
    }

    private static async Task<(JsonElement? Body, string? Text)> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellation);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (null, Encoding.UTF8.GetString(bytes.Span));
        }
    }

    private List<GeneratedImage> Produce(HttpContext context, GenerationRequest request, FaultRule? rule)
    {
        var failed = rule?.ErrorSlots is { } slots ? slots.ToHashSet() : [];
        var failureCode = rule?.Code ?? SlotFailureCode;
        var padding = state.Settings.ImagePaddingBytes;
        var root = $"{context.Request.Scheme}://{context.Request.Host}/";
        var images = new List<GeneratedImage>(request.ImageCount);
        for (var i = 0; i < request.ImageCount; i++)
        {
            if (failed.Contains(i))
            {
                // As the API's error objects do, a failed slot's message ends with the request id.
                var message = $"{rule?.Message ?? ApiError.DefaultMessageFor(failureCode)} request id: {HttpExchange.RequestIdOf(context)}";
                images.Add(new GeneratedImage(i, request.Width, request.Height, null, null, new ApiError(400, failureCode, message)));
                continue;
            }
            var bytes = state.Images.Get(request.Width, request.Height, request.Format, padding);
            string? url = null;
            if (!request.Base64Response)
            {
                var file = state.Files.Add(request.Format, bytes);
                var signature = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                url = $"{root}files/{file.Id}.{ImageFactory.Extension(request.Format)}?X-Tos-Signature={signature}&X-Tos-Expires=86400";
            }
            images.Add(new GeneratedImage(i, request.Width, request.Height, url, request.Base64Response ? bytes : null, null));
        }
        return images;
    }

    private static byte[] BuildResponse(GenerationRequest request, long created, IReadOnlyList<GeneratedImage> images, int padBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + padBytes);
        using (var w = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            w.WriteStartObject();
            if (padBytes > 0) w.WriteString("padding", new string('a', padBytes)); // a field the client does not know
            w.WriteString("model", request.Model);
            w.WriteNumber("created", created);
            w.WriteStartArray("data");
            foreach (var image in images)
            {
                w.WriteStartObject();
                if (image.Error is { } error)
                {
                    w.WriteStartObject("error");
                    w.WriteString("code", error.Code);
                    w.WriteString("message", error.Message);
                    w.WriteEndObject();
                }
                else
                {
                    if (image.Url is not null) w.WriteString("url", image.Url);
                    else w.WriteBase64String("b64_json", image.Bytes);
                    w.WriteString("size", image.SizeText);
                    if (request.Profile.AnswersNewFields)
                    {
                        w.WriteString("output_format", request.Format == ImageFormat.Png ? "png" : "jpeg");
                        if (request.Background is not null) w.WriteString("background", request.Background);
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Usage.Write(w, images, request.Profile.AnswersNewFields ? request.ReferenceCount : null);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
