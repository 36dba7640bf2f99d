using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Seedream.FakeApi;

namespace Seedream.Tests;

/// <summary>
/// The fake refuses what the contract says the real API refuses, so a test against it cannot bless a request a real
/// provider would answer with 400 or 404: each provider's id forms on its own route, exact size spelling, fields a model
/// does not accept, the per-image rules on data URIs, and the new answer fields and model listing.
/// </summary>
public sealed class FakeApiStrictnessTests : IAsyncLifetime
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

    private static string RouteOf(string provider) => provider switch
    {
        "APIYI" => "v1",
        "BytePlus" => "api/v3",
        "Volcengine" => "volcengine/api/v3",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string provider, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{RouteOf(provider)}/images/generations")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "test-key");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>A minimal PNG (signature and IHDR) of the given size; colour type 6 has an alpha channel, 2 has none.</summary>
    internal static string PngDataUri(int width, int height, byte colourType = 2, int padBytes = 0)
    {
        var png = new byte[33 + padBytes];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(8), 13);
        "IHDR"u8.CopyTo(png.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), (uint)height);
        png[24] = 8;
        png[25] = colourType;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc(png.AsSpan(12, 17)));
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static string Body(string model, string extra = "") =>
        $$"""{"model":"{{model}}","prompt":"a lighthouse"{{(extra.Length > 0 ? "," + extra : "")}}}""";

    // ------------------------------------------------------------------ ids in the route's own form

    [Theory]
    [InlineData("APIYI", "seedream-5-5-261028", 200)]
    [InlineData("APIYI", "seedream-5-0-pro-260628", 200)]
    [InlineData("APIYI", "seedream-5-0-flash-260915", 200)]
    [InlineData("APIYI", "seedream-5-0-260128", 200)]
    [InlineData("APIYI", "seedream-5-0-lite-260128", 200)]
    [InlineData("APIYI", "seedream-4-5-251128", 200)]
    [InlineData("APIYI", "seedream-4-0-250828", 200)]
    [InlineData("APIYI", "dola-seedream-5-5-261028", 404)]
    [InlineData("APIYI", "doubao-seedream-4-5-251128", 404)]
    [InlineData("APIYI", "SEEDREAM-4-5-251128", 404)]
    [InlineData("APIYI", "ep-20260101120000-abcde", 404)]
    [InlineData("BytePlus", "dola-seedream-5-5-261028", 200)]
    [InlineData("BytePlus", "dola-seedream-5-0-pro-260628", 200)]
    [InlineData("BytePlus", "dola-seedream-5-0-flash-260915", 200)]
    [InlineData("BytePlus", "seedream-5-0-260128", 200)]
    [InlineData("BytePlus", "seedream-4-5-251128", 200)]
    [InlineData("BytePlus", "seedream-4-0-250828", 200)]
    [InlineData("BytePlus", "seedream-5-5-261028", 404)]
    [InlineData("BytePlus", "doubao-seedream-5-5-261028", 404)]
    [InlineData("BytePlus", "ep-20260101120000-abcde", 200)]
    [InlineData("BytePlus", "ep-20261201090000-s55aa", 200)]
    [InlineData("BytePlus", "ep-20990101000000-zzzzz", 404)]
    [InlineData("Volcengine", "doubao-seedream-5-5-261028", 200)]
    [InlineData("Volcengine", "doubao-seedream-5-0-pro-260628", 200)]
    [InlineData("Volcengine", "doubao-seedream-5-0-flash-260915", 200)]
    [InlineData("Volcengine", "doubao-seedream-4-5-251128", 200)]
    [InlineData("Volcengine", "doubao-seedream-4-0-250828", 200)]
    [InlineData("Volcengine", "doubao-seedream-5-0-260128", 404)]
    [InlineData("Volcengine", "doubao-seedream-5-0-lite-260128", 404)]
    [InlineData("Volcengine", "seedream-4-5-251128", 404)]
    [InlineData("Volcengine", "dola-seedream-5-5-261028", 404)]
    public async Task Each_route_takes_its_providers_own_ids(string provider, string model, int status)
    {
        var (answer, body) = await PostAsync(provider, Body(model));
        Assert.Equal(status, (int)answer);
        if (status == 404)
        {
            Assert.Equal("InvalidEndpointOrModel.NotFound", (string?)body["error"]!["code"]);
        }
    }

    [Fact]
    public async Task An_endpoint_id_has_the_limits_of_the_model_behind_it()
    {
        var (onFive, error) = await PostAsync("BytePlus", Body("ep-20261201090000-s55aa", "\"sequential_image_generation\":\"disabled\""));
        Assert.Equal(HttpStatusCode.BadRequest, onFive);
        Assert.Equal("sequential_image_generation", (string?)error["error"]!["param"]);
        var (onFourFive, _) = await PostAsync("BytePlus", Body("ep-20260101120000-abcde", "\"sequential_image_generation\":\"disabled\""));
        Assert.Equal(HttpStatusCode.OK, onFourFive);
        var (fourK, _) = await PostAsync("BytePlus", Body("ep-20261201090000-s55aa", "\"size\":\"4K\""));
        Assert.Equal(HttpStatusCode.BadRequest, fourK);
    }

    // ------------------------------------------------------------------ sizes spelled as the API spells them

    [Theory]
    [InlineData("seedream-4-5-251128", "2K", 200)]
    [InlineData("seedream-4-5-251128", "2k", 400)]
    [InlineData("seedream-4-5-251128", " 2K", 400)]
    [InlineData("seedream-4-5-251128", "2K ", 400)]
    [InlineData("seedream-4-5-251128", "2048x2048", 200)]
    [InlineData("seedream-4-5-251128", "2048X2048", 400)]
    [InlineData("seedream-4-5-251128", " 2048x2048 ", 400)]
    [InlineData("seedream-4-5-251128", "2048 x 2048", 400)]
    [InlineData("seedream-5-5-261028", "1.5K", 200)]
    [InlineData("seedream-5-5-261028", "1.5k", 400)]
    [InlineData("seedream-5-5-261028", "1K", 200)]
    [InlineData("seedream-5-5-261028", "2K", 200)]
    [InlineData("seedream-5-5-261028", "4K", 400)]
    [InlineData("seedream-5-5-261028", "1280x720", 200)]
    [InlineData("seedream-5-5-261028", "1279x720", 400)]
    [InlineData("seedream-5-5-261028", "2048x2048", 200)]
    [InlineData("seedream-5-5-261028", "2048x2049", 400)]
    [InlineData("seedream-5-0-pro-260628", "1K", 200)]
    [InlineData("seedream-5-0-pro-260628", "1.5K", 400)]
    [InlineData("seedream-5-0-flash-260915", "1.5K", 200)]
    [InlineData("seedream-5-0-260128", "3K", 200)]
    [InlineData("seedream-5-0-260128", "4K", 400)]
    [InlineData("seedream-5-5-261028", "auto", 400)]
    public async Task Sizes_must_be_exact(string model, string size, int status)
    {
        var (answer, body) = await PostAsync("APIYI", Body(model, $"\"size\":\"{size}\""));
        Assert.Equal(status, (int)answer);
        if (status == 400)
        {
            Assert.Equal("size", (string?)body["error"]!["param"]);
        }
    }

    // ------------------------------------------------------------------ fields a model does not accept

    [Theory]
    [InlineData("seedream-5-5-261028", "\"sequential_image_generation\":\"disabled\"", "sequential_image_generation")]
    [InlineData("seedream-5-0-pro-260628", "\"sequential_image_generation\":\"auto\"", "sequential_image_generation")]
    [InlineData("seedream-5-0-flash-260915", "\"sequential_image_generation_options\":{\"max_images\":2}", "sequential_image_generation_options")]
    [InlineData("seedream-5-5-261028", "\"stream\":false", "stream")]
    [InlineData("seedream-5-0-flash-260915", "\"stream\":true", "stream")]
    [InlineData("seedream-4-5-251128", "\"background\":\"auto\"", "background")]
    [InlineData("seedream-5-0-flash-260915", "\"background\":\"opaque\"", "background")]
    [InlineData("seedream-5-5-261028", "\"background\":\"transparent\"", "background")]
    [InlineData("seedream-5-5-261028", "\"background\":\"transparent\",\"output_format\":\"jpeg\"", "background")]
    [InlineData("seedream-4-0-250828", "\"layer_decomposition\":false", "layer_decomposition")]
    [InlineData("seedream-4-5-251128", "\"optimize_prompt_options\":{\"thinking\":\"enabled\"}", "optimize_prompt_options.thinking")]
    [InlineData("seedream-5-0-pro-260628", "\"optimize_prompt_options\":{\"thinking\":\"sometimes\"}", "optimize_prompt_options.thinking")]
    [InlineData("seedream-5-0-pro-260628", "\"optimize_prompt_options\":{\"thinking\":\"disabled\"},\"image\":[\"https://img.example/a.png\"]", "optimize_prompt_options.thinking")]
    [InlineData("seedream-5-5-261028", "\"optimize_prompt_options\":{\"mode\":\"fast\"}", "optimize_prompt_options.mode")]
    [InlineData("seedream-5-0-pro-260628", "\"background\":\"transparent\",\"output_format\":\"png\"", "image")]
    public async Task A_field_the_model_does_not_accept_is_a_400_naming_it(string model, string extra, string param)
    {
        var (answer, body) = await PostAsync("APIYI", Body(model, extra));
        Assert.Equal(HttpStatusCode.BadRequest, answer);
        Assert.Equal("InvalidParameter", (string?)body["error"]!["code"]);
        Assert.Equal(param, (string?)body["error"]!["param"]);
    }

    [Theory]
    [InlineData("seedream-5-0-pro-260628", "\"optimize_prompt_options\":{\"mode\":\"fast\",\"thinking\":\"disabled\"}")]
    [InlineData("seedream-5-0-pro-260628", "\"optimize_prompt_options\":{\"thinking\":\"enabled\"},\"image\":[\"https://img.example/a.png\"]")]
    [InlineData("seedream-4-0-250828", "\"optimize_prompt_options\":{\"mode\":\"fast\"},\"sequential_image_generation\":\"disabled\",\"stream\":false")]
    [InlineData("seedream-5-5-261028", "\"background\":\"opaque\"")]
    [InlineData("seedream-5-0-flash-260915", "\"background\":\"transparent\",\"output_format\":\"png\"")]
    public async Task The_fields_a_model_accepts_are_answered(string model, string extra)
    {
        var (answer, _) = await PostAsync("APIYI", Body(model, extra));
        Assert.Equal(HttpStatusCode.OK, answer);
    }

    [Fact]
    public async Task A_transparent_background_on_pro_takes_one_alpha_png()
    {
        var (withAlpha, _) = await PostAsync("APIYI", Body("seedream-5-0-pro-260628",
            $"\"background\":\"transparent\",\"output_format\":\"png\",\"image\":[\"{PngDataUri(512, 512, colourType: 6)}\"]"));
        Assert.Equal(HttpStatusCode.OK, withAlpha);
        var (flat, body) = await PostAsync("APIYI", Body("seedream-5-0-pro-260628",
            $"\"background\":\"transparent\",\"output_format\":\"png\",\"image\":[\"{PngDataUri(512, 512, colourType: 2)}\"]"));
        Assert.Equal(HttpStatusCode.BadRequest, flat);
        Assert.Equal("image", (string?)body["error"]!["param"]);
    }

    // ------------------------------------------------------------------ per-image rules on data URIs

    [Theory]
    [InlineData(14, 14, 400)]
    [InlineData(14, 64, 400)]
    [InlineData(64, 14, 400)]
    [InlineData(15, 15, 200)]
    [InlineData(240, 15, 200)]
    [InlineData(256, 15, 400)]
    [InlineData(6000, 6000, 200)]
    [InlineData(6001, 6000, 400)]
    public async Task Data_uri_images_follow_the_per_image_limits(int width, int height, int status)
    {
        var (answer, body) = await PostAsync("APIYI", Body("seedream-4-5-251128", $"\"image\":[\"{PngDataUri(width, height)}\"]"));
        Assert.Equal(status, (int)answer);
        if (status == 400)
        {
            Assert.Equal("image", (string?)body["error"]!["param"]);
        }
    }

    [Fact]
    public async Task A_data_uri_that_does_not_hold_its_declared_format_is_refused()
    {
        string gif = "data:image/png;base64," + Convert.ToBase64String("GIF89a\x40\x00\x40\x00\x00\x00\x00;"u8.ToArray());
        var (answer, body) = await PostAsync("APIYI", Body("seedream-4-5-251128", $"\"image\":[\"{gif}\"]"));
        Assert.Equal(HttpStatusCode.BadRequest, answer);
        Assert.Equal("image", (string?)body["error"]!["param"]);
        var (header, _) = await PostAsync("APIYI", Body("seedream-4-5-251128", "\"image\":[\"data:image/png;base64,iVBORw0KGgo=\"]"));
        Assert.Equal(HttpStatusCode.BadRequest, header);
    }

    [Theory]
    [InlineData("seedream-5-5-261028", 400)]
    [InlineData("seedream-5-0-pro-260628", 200)]
    public async Task The_image_byte_limit_is_the_models(string model, int status)
    {
        string big = PngDataUri(64, 64, padBytes: (10 * 1024 * 1024) - 33 + 1);
        var (answer, _) = await PostAsync("APIYI", Body(model, $"\"image\":[\"{big}\"]"));
        Assert.Equal(status, (int)answer);
    }

    [Fact]
    public async Task Heic_is_taken_only_where_the_model_takes_it()
    {
        string heic = "data:image/heic;base64," + Convert.ToBase64String(new byte[64]);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("APIYI", Body("seedream-5-0-pro-260628", $"\"image\":[\"{heic}\"]"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("APIYI", Body("seedream-5-5-261028", $"\"image\":[\"{heic}\"]"))).Status);
    }

    [Theory]
    [InlineData("APIYI", "seedream-5-0-260128", 10, 11)]
    [InlineData("BytePlus", "seedream-5-0-260128", 14, 15)]
    [InlineData("BytePlus", "dola-seedream-5-5-261028", 10, 11)]
    public async Task The_reference_limit_is_per_model_and_provider(string provider, string model, int limit, int over)
    {
        string Urls(int n) => string.Join(",", Enumerable.Range(1, n).Select(i => $"\"https://img.example/{i}.png\""));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(provider, Body(model, $"\"image\":[{Urls(limit)}]"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(provider, Body(model, $"\"image\":[{Urls(over)}]"))).Status);
    }

    // ------------------------------------------------------------------ the answer's new fields

    [Fact]
    public async Task Newer_models_answer_output_format_background_and_input_images()
    {
        var (status, body) = await PostAsync("APIYI", Body("seedream-5-5-261028",
            $"\"background\":\"opaque\",\"output_format\":\"png\",\"image\":[\"{PngDataUri(64, 64)}\",\"https://img.example/b.png\"]"));
        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode slot = body["data"]![0]!;
        Assert.Equal("png", (string?)slot["output_format"]);
        Assert.Equal("opaque", (string?)slot["background"]);
        Assert.Equal(2, (int?)body["usage"]!["input_images"]);

        var (_, old) = await PostAsync("APIYI", Body("seedream-4-5-251128"));
        Assert.Null(old["data"]![0]!["output_format"]);
        Assert.Null(old["usage"]!["input_images"]);
    }

    // ------------------------------------------------------------------ GET /models

    private async Task<(HttpStatusCode Status, JsonNode? Body)> ModelsAsync(string provider, string key = "test-key")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{RouteOf(provider)}/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task The_ark_routes_list_their_models_with_status()
    {
        var (status, body) = await ModelsAsync("Volcengine");
        Assert.Equal(HttpStatusCode.OK, status);
        var listed = body!["data"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => (string?)m!["status"]);
        Assert.Null(listed["doubao-seedream-5-5-261028"]);
        Assert.Equal("Shutdown", listed["doubao-seedream-5-0-260128"]);
        Assert.Equal("Retiring", listed["doubao-seedream-4-5-251128"]);
        Assert.False(listed.ContainsKey("doubao-seedream-5-0-lite-260128"), "aliases are not listed");
        Assert.Contains("doubao-seedance-1-0-pro-250528", listed.Keys);

        var (bytePlus, bytePlusBody) = await ModelsAsync("BytePlus");
        Assert.Equal(HttpStatusCode.OK, bytePlus);
        Assert.Contains("dola-seedream-5-0-pro-260628", bytePlusBody!["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal("models", _server.Requests.Last().Target);
    }

    [Fact]
    public async Task The_models_listing_needs_the_key_and_is_not_on_the_gateway()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await ModelsAsync("BytePlus", "wrong")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ModelsAsync("APIYI")).Status);
    }
}
