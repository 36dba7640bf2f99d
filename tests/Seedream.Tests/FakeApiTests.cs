using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Seedream.FakeApi;

namespace Seedream.Tests;

/// <summary>Checks that the fake Seedream API speaks the contract the module's tests rely on.</summary>
public sealed class FakeApiTests : IAsyncLifetime
{
    private FakeSeedreamServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeSeedreamServer.StartAsync();
        _http = new HttpClient { BaseAddress = _server.Root };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> GenerateAsync(object body, string key = "test-key", string route = "v1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{route}/images/generations")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (key.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task WrongKey_Returns401AuthenticationError()
    {
        using var response = await GenerateAsync(new { model = "seedream-4-5-251128", prompt = "a cat" }, key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await JsonOf(response)).GetProperty("error");
        Assert.Equal("AuthenticationError", error.GetProperty("code").GetString());
        Assert.Equal("wrong", Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task ValidationError_HasDocumentedShape()
    {
        using var response = await GenerateAsync(new { model = "seedream-4-5-251128", prompt = "a cat", size = "1K" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.StartsWith("req-", requestId);
        var root = await JsonOf(response);
        var error = Assert.Single(root.EnumerateObject()).Value;
        Assert.Equal(["code", "message", "param", "type"], error.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("InvalidParameter", error.GetProperty("code").GetString());
        Assert.Equal("size", error.GetProperty("param").GetString());
        Assert.Equal("BadRequest", error.GetProperty("type").GetString());
        Assert.EndsWith($"request id: {requestId}", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnknownModel_Returns404()
    {
        using var response = await GenerateAsync(new { model = "seedream-9", prompt = "a cat" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("InvalidEndpointOrModel.NotFound", (await JsonOf(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UrlMode_JpegDownloadsWithStatedSize()
    {
        using var response = await GenerateAsync(new { model = "seedream-4-0-250828", prompt = "a cat", size = "1280x720", watermark = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await JsonOf(response);
        var item = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal("1280x720", item.GetProperty("size").GetString());
        Assert.Equal(1, root.GetProperty("usage").GetProperty("generated_images").GetInt32());
        Assert.Equal(3600, root.GetProperty("usage").GetProperty("output_tokens").GetInt64());

        var url = item.GetProperty("url").GetString()!;
        Assert.Contains("X-Tos-Signature=", url);
        using var download = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(download.Content.Headers.ContentLength, bytes.Length);
        Assert.Equal((1280, 720), JpegSize(bytes));
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        Assert.Equal("missing", _server.Requests.Last().Authorization);
    }

    [Fact]
    public async Task UrlMode_PngOnLiteIsAValidPng()
    {
        using var response = await GenerateAsync(
            new { model = "seedream-5-0-lite-260128", prompt = "a cat", size = "2304x1728", output_format = "png" }, route: "api/v3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = (await JsonOf(response)).GetProperty("data")[0].GetProperty("url").GetString()!;
        Assert.EndsWith(".png", new Uri(url).AbsolutePath);
        var bytes = await _http.GetByteArrayAsync(url);
        Assert.Equal((2304, 1728), CheckPng(bytes));
    }

    [Fact]
    public async Task Base64Mode_ReturnsImageBytes()
    {
        using var response = await GenerateAsync(new
        {
            model = "seedream-4-5-251128",
            prompt = "a story",
            response_format = "b64_json",
            sequential_image_generation = "auto",
            sequential_image_generation_options = new { max_images = 3 },
            image = new[] { "https://example.com/a.png", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJ" /* a 64x64 PNG header: the fake reads its size */ },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await JsonOf(response)).GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(3, data.Length);
        Assert.All(data, d => Assert.Equal((2048, 2048), JpegSize(Convert.FromBase64String(d.GetProperty("b64_json").GetString()!))));
    }

    [Fact]
    public async Task Streaming_SendsEventsInOrder()
    {
        _server.AddFaults(new FaultRule { ErrorSlots = [1] });
        using var response = await GenerateAsync(new
        {
            model = "seedream-4-5-251128",
            prompt = "a story",
            stream = true,
            sequential_image_generation = "auto",
            sequential_image_generation_options = new { max_images = 3 },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "event: image_generation.partial_succeeded",
                "event: image_generation.partial_failed",
                "event: image_generation.partial_succeeded",
                "event: image_generation.completed",
                "data: [DONE]",
            ],
            events.Select(e => e.Split('\n')[0]).ToArray());
        var completed = JsonDocument.Parse(events[3].Split('\n')[1]["data: ".Length..]).RootElement;
        Assert.Equal(2, completed.GetProperty("usage").GetProperty("generated_images").GetInt32());
        var failed = JsonDocument.Parse(events[1].Split('\n')[1]["data: ".Length..]).RootElement;
        Assert.Equal(1, failed.GetProperty("image_index").GetInt32());
        Assert.Equal("OutputImageSensitiveContentDetected", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(4, _server.Requests.Single().EventsSent);
    }

    [Fact]
    public async Task RateLimitFault_SendsRetryAfter_ThenRecovers()
    {
        using (var control = await _http.PostAsync("_control/faults", new StringContent(
                   """[{"status":429,"retryAfter":"2","retryAfterMs":1500}]""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);

        var body = new { model = "seedream-4-5-251128", prompt = "a cat" };
        using var limited = await GenerateAsync(body);
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("1500", Assert.Single(limited.Headers.GetValues("retry-after-ms")));
        Assert.Equal("RateLimitExceeded.EndpointRPMExceeded",
            (await JsonOf(limited)).GetProperty("error").GetProperty("code").GetString());

        using var next = await GenerateAsync(body);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Recording_KeepsBodyButNeverTheKey()
    {
        using (await GenerateAsync(new { model = "seedream-4-0-250828", prompt = "a cat", size = "1K", extra_field = 7 })) { }

        var recorded = Assert.Single(_server.Requests);
        Assert.Equal("generate", recorded.Target);
        Assert.Equal("ok", recorded.Authorization);
        Assert.Equal(200, recorded.Status);
        Assert.Equal(7, recorded.Body!.Value.GetProperty("extra_field").GetInt32());

        var json = await _http.GetStringAsync("_control/requests");
        Assert.DoesNotContain("test-key", json);
        var entry = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal(recorded.Id, entry.GetProperty("id").GetString());
        Assert.Equal("a cat", entry.GetProperty("body").GetProperty("prompt").GetString());

        using (await _http.DeleteAsync("_control/requests")) { }
        Assert.Empty(_server.Requests);
    }

    /// <summary>Width and height from the SOF0 segment, walking the segments from SOI.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var i = 2;
        while (i + 4 <= jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[i]);
            var marker = jpeg[i + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
            if (marker == 0xC0)
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 5)));
            i += 2 + length;
        }
        throw new InvalidDataException("No SOF0 segment.");
    }

    /// <summary>Checks signature, chunk CRCs and the inflated pixel data length; returns IHDR's size.</summary>
    private static (int Width, int Height) CheckPng(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        var i = 8;
        var types = new List<string>();
        while (i < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            var type = Encoding.ASCII.GetString(png, i + 4, 4);
            var data = png.AsSpan(i + 8, length);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(i + 8 + length)), Crc(png.AsSpan(i + 4, 4 + length)));
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
            }
            if (type == "IDAT") idat.Write(data);
            i += 12 + length;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflater.CopyTo(pixels);
        Assert.Equal((long)height * (1 + 3 * width), pixels.Length);
        return (width, height);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
