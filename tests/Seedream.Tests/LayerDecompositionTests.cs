using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Seedream.Catalog;
using Seedream.FakeApi;
using Seedream.Imaging;

namespace Seedream.Tests;

/// <summary>
/// Layer decomposition and transparent backgrounds below the cmdlets: the fake answers a decomposition as the contract
/// says (a base image, then transparent PNG layers as large as their boxes) and refuses what the contract refuses; the
/// module reads an alpha channel from a PNG's header and gives a decomposition's one image its own limits.
/// </summary>
public sealed class LayerDecompositionTests : IAsyncLifetime
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

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/images/generations")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "test-key");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static string Split(string model, string image, string extra = "") =>
        $$"""{"model":"{{model}}","prompt":"","image":"{{image}}","size":"auto","response_format":"b64_json","layer_decomposition":true{{(extra.Length > 0 ? "," + extra : "")}}}""";

    private static string Png(int width, int height, byte colourType = 2) => FakeApiStrictnessTests.PngDataUri(width, height, colourType);

    [Theory]
    [InlineData("seedream-5-5-261028")]
    [InlineData("seedream-5-0-pro-260628")]
    [InlineData("seedream-5-0-flash-260915")]
    public async Task A_decomposition_answers_a_base_image_then_transparent_layers_as_large_as_their_boxes(string model)
    {
        var (status, body) = await PostAsync(Split(model, Png(1200, 900)));
        Assert.Equal(HttpStatusCode.OK, status);
        JsonArray data = body["data"]!.AsArray();
        Assert.True(data.Count >= 2, "a base image and at least one layer");
        Assert.Equal(data.Count, (int?)body["usage"]!["generated_images"]); // every layer is billed as an image

        JsonNode base0 = data[0]!;
        Assert.Equal(0, (int?)base0["z_index"]);
        Assert.Equal("1200x900", (string?)base0["size"]); // size auto follows the input
        Assert.Equal((1200, 900), Header(base0));

        // Each z-index from 1 up once, in whatever order the slots come.
        Assert.Equal(Enumerable.Range(1, data.Count - 1), data.Skip(1).Select(s => (int)s!["z_index"]!).OrderBy(z => z));
        for (int i = 1; i < data.Count; i++)
        {
            JsonNode layer = data[i]!;
            Assert.Equal("png", (string?)layer["output_format"]);
            Assert.False(string.IsNullOrEmpty((string?)layer["name"]));
            Assert.False(string.IsNullOrEmpty((string?)layer["description"]));
            int[] box = layer["bounding_box"]!["absolute"]!.AsArray().Select(v => (int)v!).ToArray();
            int[] normalized = layer["bounding_box"]!["normalized"]!.AsArray().Select(v => (int)v!).ToArray();
            Assert.True(box[0] >= 0 && box[1] >= 0 && box[2] <= 1200 && box[3] <= 900 && box[0] < box[2] && box[1] < box[3], $"layer {i}'s box lies on the base");
            Assert.Equal(box[0] * 1000 / 1200, normalized[0]);
            Assert.Equal(box[3] * 1000 / 900, normalized[3]);
            Assert.Equal((box[2] - box[0], box[3] - box[1]), Header(layer));
            byte[] bytes = Convert.FromBase64String((string)layer["b64_json"]!);
            Assert.Equal(6, bytes[25]); // IHDR colour type 6: truecolour with alpha
            Assert.True(ImageHeaderReader.PngHasAlpha(bytes));
            Assert.Null(ImageStructure.CheckComplete(bytes, bytes, bytes.Length)); // a whole PNG, IEND at its end
        }

        Assert.NotEqual(Enumerable.Range(1, data.Count - 1), data.Skip(1).Select(s => (int)s!["z_index"]!)); // not an echo of stacking order: the client must sort
    }

    private static (int, int) Header(JsonNode slot)
    {
        byte[] bytes = Convert.FromBase64String((string)slot["b64_json"]!);
        Assert.True(ImageHeaderReader.TryRead(bytes, out ImageHeader header, out _));
        string[] size = ((string)slot["size"]!).Split('x');
        Assert.Equal((int.Parse(size[0]), int.Parse(size[1])), (header.Width, header.Height));
        return (header.Width, header.Height);
    }

    [Fact]
    public async Task A_transparent_background_is_an_rgba_png()
    {
        var (status, body) = await PostAsync("""{"model":"seedream-5-5-261028","prompt":"a fox sticker","output_format":"png","background":"transparent","response_format":"b64_json"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(ImageHeaderReader.PngHasAlpha(Convert.FromBase64String((string)body["data"]![0]!["b64_json"]!)));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "several images", $$"""{"model":"seedream-5-5-261028","prompt":"","image":["{{Png(1024, 1024)}}","{{Png(1024, 1024)}}"],"layer_decomposition":true}""", "exactly one image" },
        { "no image", """{"model":"seedream-5-5-261028","prompt":"","layer_decomposition":true}""", "exactly one image" },
        { "too small an input", Split("seedream-5-0-flash-260915", Png(511, 1024)), "at least 512x512" },
        { "background with layers", Split("seedream-5-5-261028", Png(1024, 1024), "\"background\":\"auto\""), "cannot be used with `layer_decomposition`" },
        { "transparent with JPEG", """{"model":"seedream-5-5-261028","prompt":"a fox","background":"transparent","output_format":"jpeg"}""", "needs `output_format` png" },
        { "a model that does not decompose", Split("seedream-4-5-251128", Png(1024, 1024)), "not supported by model" },
        { "size auto without layers", """{"model":"seedream-5-5-261028","prompt":"a fox","size":"auto"}""", "size" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_contracts_refusals_are_400s_that_name_the_rule(string name, string json, string rule)
    {
        var (status, body) = await PostAsync(json);
        Assert.True(status == HttpStatusCode.BadRequest, name);
        Assert.Equal("InvalidParameter", (string?)body["error"]!["code"]);
        Assert.Contains(rule, (string?)body["error"]!["message"]);
        Assert.DoesNotContain(_server.Requests, r => r.Status == 200);
    }

    [Fact]
    public async Task A_decompositions_image_may_be_larger_than_a_reference_of_the_model()
    {
        // 5.5 takes references up to 10 MB, a decomposition's one image up to 30 MB (the contract).
        string big = FakeApiStrictnessTests.PngDataUri(1024, 1024, padBytes: 12 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Split("seedream-5-5-261028", big))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync($$"""{"model":"seedream-5-5-261028","prompt":"edit","image":"{{big}}"}""")).Status);
    }

    // ------------------------------------------------------------------ the module's side

    [Theory]
    [InlineData(6, null, true)]
    [InlineData(4, null, true)]
    [InlineData(2, null, false)]
    [InlineData(2, "tRNS", true)]
    [InlineData(3, "tRNS", true)]
    [InlineData(3, "PLTE", false)]
    public void A_pngs_alpha_channel_is_read_from_its_header(byte colourType, string? chunk, bool alpha)
    {
        var png = new List<byte>(Convert.FromBase64String(FakeApiStrictnessTests.PngDataUri(16, 16, colourType).Split(',')[1]));
        if (chunk != null)
        {
            png.AddRange(Chunk(chunk, new byte[3]));
        }

        png.AddRange(Chunk("IDAT", new byte[4]));
        if (chunk == null)
        {
            png.AddRange(Chunk("tRNS", new byte[1])); // after the image data: too late to count
        }

        Assert.Equal(alpha, ImageHeaderReader.PngHasAlpha(png.ToArray()));
    }

    [Fact]
    public void An_image_that_is_not_a_png_or_ends_early_has_no_known_alpha()
    {
        Assert.Null(ImageHeaderReader.PngHasAlpha(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }));
        byte[] png = Convert.FromBase64String(FakeApiStrictnessTests.PngDataUri(16, 16, 2).Split(',')[1]);
        Assert.Null(ImageHeaderReader.PngHasAlpha(png)); // IHDR only: the chunks that could say are not there
        Assert.Null(ImageHeaderReader.PngHasAlpha(png.AsSpan(0, 20)));
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    [Fact]
    public void A_decompositions_image_follows_the_decompositions_byte_limit_not_the_references()
    {
        SeedreamModel model = ModelCatalog.Shipped.FindModel("5.5")!;
        RequestShape Shape(long bytes, bool layers) => new()
        {
            Prompt = layers ? "" : "edit it",
            Model = model,
            ModelId = model.Offers[0].Id,
            LayerDecomposition = layers,
            References = new[] { new ReferenceFacts("the image file 'poster.png'", "png", bytes, 2048, 2048) },
        };

        long twentyMegabytes = 20L * 1024 * 1024;
        Assert.Empty(RequestRules.Check(Shape(twentyMegabytes, layers: true)));
        Assert.Contains("at most 10,485,760 bytes", Assert.Single(RequestRules.Check(Shape(twentyMegabytes, layers: false))).Message);
        RuleViolation tooBig = Assert.Single(RequestRules.Check(Shape(31L * 1024 * 1024, layers: true)));
        Assert.Equal(RequestField.Image, tooBig.Field);
        Assert.Contains("layer decomposition on 5.5 takes at most 31,457,280 bytes (30 MB)", tooBig.Message);
    }
}
