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
            // A decomposition's slot 0 is the base image (the request's size and format); each further slot a layer: a
            // transparent PNG exactly the size of its box on the base. A transparent background is a PNG with alpha too.
            // The contract does not promise slots in stacking order: the fake sends the layers top first (the base stays slot 0).
            var layer = request.LayerDecomposition ? LayerOf(i == 0 ? 0 : request.LayerCount + 1 - i, request.Width, request.Height) : null;
            var format = layer is { ZIndex: > 0 } ? ImageFormat.Png : request.Format;
            var (width, height) = layer?.Box is { } box ? (box[2] - box[0], box[3] - box[1]) : (request.Width, request.Height);
            var alpha = layer is { ZIndex: > 0 } || request.Background == "transparent";
            var bytes = state.Images.Get(width, height, format, padding, alpha);
            string? url = null;
            if (!request.Base64Response)
            {
                var file = state.Files.Add(format, bytes);
                var signature = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                url = $"{root}files/{file.Id}.{ImageFactory.Extension(format)}?X-Tos-Signature={signature}&X-Tos-Expires=86400";
            }
            images.Add(new GeneratedImage(i, width, height, url, request.Base64Response ? bytes : null, null, layer) { Format = format });
        }
        return images;
    }

    /// <summary>Layer <paramref name="z"/> of a decomposition of a <paramref name="width"/> x <paramref name="height"/> base: z_index, box, name, description.</summary>
    private static LayerInfo LayerOf(int z, int width, int height)
    {
        if (z == 0) return new LayerInfo(0, null, null, null, null);
        var plan = ModelCatalog.LayerPlan[z - 1];
        int[] box = [width * plan.Left / 10, height * plan.Top / 8, width * plan.Right / 10, height * plan.Bottom / 8];
        int[] normalized = [box[0] * 1000 / width, box[1] * 1000 / height, box[2] * 1000 / width, box[3] * 1000 / height];
        return new LayerInfo(z, box, normalized, plan.Name, plan.Description);
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
                        w.WriteString("output_format", (image.Format ?? request.Format) == ImageFormat.Png ? "png" : "jpeg");
                        if (request.Background is not null) w.WriteString("background", request.Background);
                    }
                    if (image.Layer is { } layer)
                    {
                        w.WriteNumber("z_index", layer.ZIndex);
                        if (layer.Box is { } box)
                        {
                            w.WriteStartObject("bounding_box");
                            w.WriteStartArray("absolute");
                            foreach (var v in box) w.WriteNumberValue(v);
                            w.WriteEndArray();
                            w.WriteStartArray("normalized");
                            foreach (var v in layer.NormalizedBox!) w.WriteNumberValue(v);
                            w.WriteEndArray();
                            w.WriteEndObject();
                        }
                        if (layer.Name is not null) w.WriteString("name", layer.Name);
                        if (layer.Description is not null) w.WriteString("description", layer.Description);
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
