using System.Text;
using System.Text.Json;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>
/// A stream event read as it arrives (the SSE reader's data stream into <see cref="GenerationBodyReader.ReadEventAsync(Stream, CancellationToken)"/>)
/// gives what the whole-event parse gave (JsonDocument and <see cref="ResponseParser"/>, kept here as the oracle),
/// whatever the chunking of the network reads.
/// </summary>
public sealed class StreamEventReadingTests
{
    private const string Succeeded = "image_generation.partial_succeeded";
    private const string Failed = "image_generation.partial_failed";
    private const string Completed = "image_generation.completed";
    private const int ImagesSoFar = 3;

    private static readonly byte[] Image = Enumerable.Range(0, 1001).Select(i => (byte)(255 - (i % 251))).ToArray();

    public static TheoryData<string, string?, string> Events => new()
    {
        { "url image", Succeeded, """{"type":"image_generation.partial_succeeded","model":"doubao-seedream-4-5-251128","created":1757323000,"image_index":0,"url":"https://x.example/a.jpeg?sig=1","size":"2048x2048"}""" },
        { "b64 image", Succeeded, $$$"""{"type":"image_generation.partial_succeeded","model":"m","created":1,"image_index":1,"b64_json":"{{{Convert.ToBase64String(Image)}}}","size":"10x30"}""" },
        { "b64 with escapes, no event name", null, """{"type":"image_generation.partial_succeeded","image_index":2,"b64_json":"AAEC\u002B\/w=","size":"2x2","url":"https:\/\/x.example\/a\u002Fb.png"}""" },
        { "failed image", Failed, """{"type":"image_generation.partial_failed","model":"m","created":2,"image_index":3,"error":{"code":"OutputImageSensitiveContentDetected","message":"blocked \"q\" \u00e9\n","param":"","type":"t"}}""" },
        { "failed image without index", Failed, """{"type":"image_generation.partial_failed","error":{"message":"no code"}}""" },
        { "image with nothing in it", Succeeded, """{"type":"image_generation.partial_succeeded","image_index":4,"url":null,"b64_json":null,"error":"not an object"}""" },
        { "name wins over type", Succeeded, """{"type":"something.else","image_index":5,"url":"u"}""" },
        { "completed with usage", Completed, """{"type":"image_generation.completed","model":"m","created":3,"usage":{"generated_images":2,"output_tokens":16384,"total_tokens":16385,"detail":{"x":[1]}}}""" },
        { "completed without usage", null, """{"type":"image_generation.completed","created":4}""" },
        { "error event", "error", """{"error":{"code":"InternalServiceError","message":"The service failed: \"x\"","param":"p","type":"server_error"}}""" },
        { "unknown event with nesting", null, """{"extra":{"a":[1,{"b":null}],"c":[[],{}]},"type":"x.y","model":"m2","flags":[true,false,null,1.5e3,"s"]}""" },
        { "whitespace", null, " {\t\"type\" : \"image_generation.partial_succeeded\" , \"image_index\" : 6 , \"b64_json\" : \"QUJD\" } " },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public async Task GivesWhatTheWholeEventParseGave(string name, string? eventName, string json)
    {
        string expected = ReadWithDocument(eventName, json);
        Assert.True(expected == await ReadStreamed(eventName, json, int.MaxValue), name);
        for (int seed = 0; seed < 4; seed++)
        {
            // Reads of 1..7 bytes: every line break, field name, token and base64 group is split at every kind of place.
            Assert.True(expected == await ReadStreamed(eventName, json, 7, seed), $"{name} (seed {seed})");
        }
    }

    [Theory]
    [InlineData(Succeeded, "something.else", Succeeded)]
    [InlineData(Succeeded, null, Succeeded)]
    [InlineData(null, Failed, Failed)]
    [InlineData(null, null, null)]
    [InlineData("gateway.partial", Succeeded, "gateway.partial")]
    public async Task TheEventsName_TakesPrecedenceOverTheDatasType(string? eventName, string? dataType, string? expected)
    {
        string json = dataType is null ? "{\"image_index\":0}" : $"{{\"type\":\"{dataType}\",\"image_index\":0}}";
        GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        Assert.Equal(expected, data!.TypeUnder(eventName));
    }

    [Theory]
    [InlineData("{\"image_index\":5,\"url\":\"u\"}", 3, 5)]
    [InlineData("{\"image_index\":0,\"url\":\"u\"}", 3, 0)]
    [InlineData("{\"url\":\"u\"}", 3, 3)]
    [InlineData("{\"url\":\"u\"}", 0, 0)]
    public async Task AnImageEvent_TakesItsSlotFromImageIndex_ElseTheNextOne(string json, int imagesSoFar, int expected)
    {
        GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), CancellationToken.None);
        GeneratedImage image = data!.ImageAt(imagesSoFar);
        Assert.Equal(expected, image.Index);
        Assert.Equal("u", image.Url);
    }

    [Fact]
    public async Task MultiLineData_IsJoinedWithNewlines()
    {
        const string json = """{"type":"image_generation.partial_succeeded","image_index":1,"url":"u","size":"1x1"}""";
        string wire = "event: image_generation.partial_succeeded\r\ndata: {\"type\":\"image_generation.partial_succeeded\",\r\n: note\r\ndata:\"image_index\":1,\r\ndata: \"url\":\"u\",\"size\":\"1x1\"}\r\n\r\ndata: [DONE]\r\n\r\n";
        for (int seed = 0; seed < 4; seed++)
        {
            var reader = new ServerSentEventReader(new ChunkedStream(Encoding.UTF8.GetBytes(wire), 7, seed), TimeSpan.FromSeconds(5), 8);
            ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
            GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(e!.Data, CancellationToken.None);
            Assert.Equal(ReadWithDocument(Succeeded, json.Replace(",", ",\n")), Describe(e.Name, data!));

            ServerSentEvent? done = await reader.ReadAsync(CancellationToken.None);
            Assert.Null(await GenerationBodyReader.ReadEventAsync(done!.Data, CancellationToken.None));
            Assert.Null(await reader.ReadAsync(CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("[DONE]", true)]
    [InlineData("[DONE] ", false)]
    [InlineData("[DONE]x", false)]
    [InlineData("[DON", false)]
    public async Task OnlyExactlyDone_IsTheEnd(string data, bool done)
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes($"data: {data}\n\n")), TimeSpan.FromSeconds(5));
        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
        Exception? error = await Record.ExceptionAsync(async () => Assert.Null(await GenerationBodyReader.ReadEventAsync(e!.Data, CancellationToken.None)));
        if (done)
        {
            Assert.Null(error);
        }
        else
        {
            // Not a JSON object: the client reports both as an invalid answer, as it did before.
            Assert.True(error is JsonException || error is FormatException, $"'{data}' threw {error?.GetType().Name}");
        }
    }

    [Theory]
    [InlineData("""{"type":"image_generation.partial_succeeded","b64_json":"QUJ"}""", typeof(FormatException))]
    [InlineData("""{"type":"image_generation.partial_succeeded","b64_json":"QUJD""", typeof(JsonException))]
    [InlineData("""{"type":"x"} {"type":"y"}""", typeof(JsonException))]
    [InlineData("""[1,2]""", typeof(FormatException))]
    [InlineData("""ping""", typeof(JsonException))]
    public async Task BrokenEventData_RaisesWhatTheClientReportsAsAnInvalidAnswer(string data, Type expected)
    {
        foreach (int bytesPerRead in new[] { int.MaxValue, 1, 3 })
        {
            var reader = new ServerSentEventReader(new ChunkedStream(Encoding.UTF8.GetBytes($"data: {data}\n\n"), bytesPerRead), TimeSpan.FromSeconds(5));
            ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
            Exception? thrown = await Record.ExceptionAsync(() => GenerationBodyReader.ReadEventAsync(e!.Data, CancellationToken.None));
            Assert.True(thrown != null && expected.IsInstanceOfType(thrown), $"'{data}' in {bytesPerRead}-byte reads threw {thrown?.GetType().Name}");
        }
    }

    [Fact]
    public async Task Cancellation_StopsTheReadOfAnEventsData()
    {
        var reader = new ServerSentEventReader(new ChunkedStream(Encoding.UTF8.GetBytes("data: {\"type\":\"x\"}\n\n"), 1), TimeSpan.FromSeconds(5));
        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GenerationBodyReader.ReadEventAsync(e!.Data, cancel.Token));
    }

    /// <summary>What ReadStreamAsync used to do with a whole event: JsonDocument plus <see cref="ResponseParser"/>.</summary>
    private static string ReadWithDocument(string? eventName, string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement data = document.RootElement;
        string? type = eventName ?? (data.TryGetProperty("type", out JsonElement t) ? t.GetString() : null);
        string? model = data.TryGetProperty("model", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        DateTimeOffset? created = data.TryGetProperty("created", out JsonElement c) && c.TryGetInt64(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        GeneratedImage? image = null;
        if (type == Succeeded || type == Failed)
        {
            int index = data.TryGetProperty("image_index", out JsonElement i) && i.TryGetInt32(out int n) ? n : ImagesSoFar;
            image = ReferenceBodyParser.ReadImage(data, index);
        }

        GenerationUsage? usage = type == Completed && data.TryGetProperty("usage", out JsonElement u) ? ReferenceBodyParser.ReadUsage(u) : null;
        ApiError? error = image is null && data.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object ? ReferenceBodyParser.ReadError(e) : null;
        return Summary(type, model, created, image, usage, error);
    }

    private static async Task<string> ReadStreamed(string? eventName, string json, int bytesPerRead, int seed = 0)
    {
        string wire = (eventName is null ? "" : $"event: {eventName}\n") + $"data: {json}\n\ndata: [DONE]\n\n";
        var reader = new ServerSentEventReader(new ChunkedStream(Encoding.UTF8.GetBytes(wire), bytesPerRead, seed), TimeSpan.FromSeconds(5), bytesPerRead == int.MaxValue ? 16 * 1024 : 8);
        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
        var parser = new IncrementalJsonReader(e!.Data, bytesPerRead == int.MaxValue ? 16 * 1024 : 1);
        GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(parser, CancellationToken.None);
        ServerSentEvent? done = await reader.ReadAsync(CancellationToken.None);
        Assert.Null(await GenerationBodyReader.ReadEventAsync(done!.Data, CancellationToken.None));
        return Describe(e.Name, data!);
    }

    /// <summary>The streamed fields as ReadStreamAsync uses them: the product's own precedence and slot (TypeUnder, ImageAt).</summary>
    private static string Describe(string? eventName, GenerationEventData data)
    {
        string? type = data.TypeUnder(eventName);
        GeneratedImage? image = type == Succeeded || type == Failed ? data.ImageAt(ImagesSoFar) : null;

        return Summary(type, data.Model, data.Created, image, type == Completed ? data.Usage : null, image is null ? data.Error : null);
    }

    private static string Summary(string? type, string? model, DateTimeOffset? created, GeneratedImage? image, GenerationUsage? usage, ApiError? error)
    {
        static string Error(ApiError? e) => e is null ? "-" : $"{e.Code}/{e.Message}/{e.Param}/{e.Type}";
        string slot = image is null ? "-" : $"#{image.Index} url={image.Url} size={image.Size} bytes={(image.Bytes is null ? "-" : Convert.ToBase64String(image.Bytes))} error={Error(image.Error)}";
        string used = usage is null ? "-" : $"{usage.GeneratedImages}/{usage.OutputTokens}/{usage.TotalTokens}";
        return $"type={type} model={model} created={created} image=[{slot}] usage={used} error={Error(error)}";
    }
}
