using System.IO.Compression;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;
using Seedream.Simulator;

namespace Seedream.Tests;

/// <summary>The simulator's image writers, and its handler under the module's own client (no socket, no fake API).</summary>
public sealed class SimulatorTests
{
    private static readonly SeedreamProvider Simulator = ModelCatalog.Providers.Single(p => p.IsSimulated);

    private static byte[] Seed(byte value) => Enumerable.Range(0, 16).Select(i => (byte)(value + i * 7)).ToArray();

    private static SeedreamClient Client(SimulatorHandler handler, int maxRetries = 0) =>
        new(new HttpClient(handler), new ClientOptions
        {
            BaseUri = Simulator.BaseUri,
            RetryPolicy = new RetryPolicy(maxRetries) { InitialDelay = TimeSpan.FromMilliseconds(10) },
            Timeout = TimeSpan.FromSeconds(60),
        });

    private static SimulatorHandler Handler(SimulatorSession? session = null) =>
        new(ModelCatalog.Shipped, Simulator, session) { EventSpacing = TimeSpan.FromMilliseconds(5) };

    // ------------------------------------------------------------------ images

    [Theory]
    [InlineData(1024, 1024, 0)]
    [InlineData(1280, 720, 0)]
    [InlineData(3840, 240, 0)]
    [InlineData(300, 200, 1)]
    [InlineData(97, 53, 2)]
    public void The_png_writer_writes_a_whole_png_whose_rows_inflate_to_the_image(int width, int height, int transparency)
    {
        var alpha = (SimulatedAlpha)transparency;
        var picture = new SimulatedPicture(Seed(3), width, height, "CAPTION", alpha);
        byte[] png = SimulatedPngWriter.Write(picture);

        Assert.True(ImageHeaderReader.TryRead(png, out ImageHeader header, out string? error), error);
        Assert.Equal((ImageFormat.Png, width, height), (header.Format, header.Width, header.Height));
        Assert.Null(ImageStructure.CheckComplete(png.AsSpan(0, Math.Min(64, png.Length)), png.AsSpan(Math.Max(0, png.Length - 64)), png.Length));
        Assert.Equal(alpha == SimulatedAlpha.None ? 2 : 6, png[25]); // IHDR colour type: RGB or RGBA

        // The IDAT data is a zlib stream of one filter byte and a row of pixels per line, checked by its Adler-32.
        byte[] zlib = Chunks(png, "IDAT");
        Assert.Equal(0x78, zlib[0]);
        using var inflated = new MemoryStream();
        using (var deflate = new DeflateStream(new MemoryStream(zlib, 2, zlib.Length - 6), CompressionMode.Decompress))
        {
            deflate.CopyTo(inflated);
        }

        byte[] raw = inflated.ToArray();
        int stride = width * picture.Channels;
        Assert.Equal(height * (stride + 1), raw.Length);
        Assert.Equal(ReadUInt32(zlib, zlib.Length - 4), Adler32(raw));

        // Undo the filters and compare with the picture's own rows.
        var previous = new byte[stride];
        var expected = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            Assert.Contains(filter, new byte[] { 0, 2 });
            var row = new byte[stride];
            for (int i = 0; i < stride; i++)
            {
                byte value = raw[y * (stride + 1) + 1 + i];
                row[i] = filter == 2 ? (byte)(value + previous[i]) : value;
            }

            picture.FillRow(y, expected);
            Assert.Equal(expected, row);
            previous = row;
        }
    }

    [Theory]
    [InlineData(1024, 1024)]
    [InlineData(1283, 721)]
    [InlineData(960, 960)]
    public void The_jpeg_writer_writes_a_whole_baseline_jpeg_of_the_size(int width, int height)
    {
        byte[] jpeg = SimulatedJpegWriter.Write(new SimulatedPicture(Seed(9), width, height, "1283x721 #1"));

        Assert.True(ImageHeaderReader.TryRead(jpeg, out ImageHeader header, out string? error), error);
        Assert.Equal((ImageFormat.Jpeg, width, height), (header.Format, header.Width, header.Height));
        Assert.Null(ImageStructure.CheckComplete(jpeg.AsSpan(0, 64), jpeg.AsSpan(jpeg.Length - 64), jpeg.Length));
        Assert.Equal(new byte[] { 0xFF, 0xC0 }, jpeg.AsSpan(IndexOf(jpeg, 0xC0), 2).ToArray()); // baseline
        // In the entropy-coded data every 0xFF is followed by a stuffed 0x00 (no stray marker).
        int scan = IndexOf(jpeg, 0xDA);
        int length = (jpeg[scan + 2] << 8) | jpeg[scan + 3];
        for (int i = scan + 2 + length; i < jpeg.Length - 2; i++)
        {
            if (jpeg[i] == 0xFF)
            {
                Assert.Equal(0, jpeg[i + 1]);
            }
        }
    }

    [Fact]
    public void The_same_seed_and_size_always_draw_the_same_image_and_another_seed_another()
    {
        byte[] Draw(byte seed) => SimulatedPngWriter.Write(new SimulatedPicture(Seed(seed), 640, 480, "X"));
        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
        Assert.Equal(SimulatedImage.SeedOf("a fox", 0), SimulatedImage.SeedOf("a fox", 0));
        Assert.NotEqual(SimulatedImage.SeedOf("a fox", 0), SimulatedImage.SeedOf("a fox", 1));
    }

    [Fact]
    public void A_4096_square_image_is_written_in_both_formats()
    {
        var picture = new SimulatedPicture(Seed(5), 4096, 4096, "4096x4096 #1");
        Assert.True(ImageHeaderReader.TryRead(SimulatedJpegWriter.Write(picture), out ImageHeader jpeg, out _));
        Assert.True(ImageHeaderReader.TryRead(SimulatedPngWriter.Write(picture), out ImageHeader png, out _));
        Assert.Equal((4096, 4096), (jpeg.Width, jpeg.Height));
        Assert.Equal((4096, 4096), (png.Width, png.Height));
    }

    [Fact]
    public void The_mark_is_drawn_in_white_on_a_dark_band_across_the_middle()
    {
        var picture = new SimulatedPicture(Seed(7), 1024, 1024, "1024x1024 #1");
        var row = new byte[1024 * 3];
        int white = 0, dark = 0;
        for (int y = 0; y < 1024; y++)
        {
            picture.FillRow(y, row);
            for (int x = 0; x < 1024; x++)
            {
                int r = row[x * 3], g = row[x * 3 + 1], b = row[x * 3 + 2];
                white += r == 240 && g == 240 && b == 240 ? 1 : 0;
                dark += r == 24 && g == 24 && b == 32 ? 1 : 0;
            }
        }

        Assert.True(white > 1024 * 10, $"{white} white pixels");
        Assert.True(dark > white, $"{dark} band pixels");
    }

    // ------------------------------------------------------------------ the handler under the client

    [Fact]
    public async Task A_sequence_streams_each_image_then_usage_as_the_api_counts_it()
    {
        var request = new GenerationRequest { Model = "seedream-4-5-251128", Prompt = "a lighthouse", MaxImages = 3, Stream = true, ResponseFormat = ResponseFormats.Base64Json };
        var arrived = new List<GeneratedImage>();
        GenerationResult result = await Client(Handler()).GenerateAsync(request, new GenerationObserver { ImageReceived = arrived.Add }, CancellationToken.None);

        // A streamed image is handed over once, with its bytes; the result keeps only its slot.
        Assert.Equal([0, 1, 2], arrived.Select(i => i.Index));
        Assert.Equal([0, 1, 2], result.Images.Select(i => i.Index));
        Assert.All(arrived, image =>
        {
            Assert.True(ImageHeaderReader.TryRead(image.Bytes!, out ImageHeader header, out _));
            Assert.Equal((ImageFormat.Jpeg, 2048, 2048), (header.Format, header.Width, header.Height));
        });
        Assert.Equal(3, result.Usage!.GeneratedImages);
        Assert.Equal(3L * 2048 * 2048 / 256, result.Usage.OutputTokens);
        Assert.Matches("sim", result.RequestId);
    }

    [Fact]
    public async Task A_url_answer_downloads_through_the_same_handler_and_expires_after_24_hours_of_the_simulated_clock()
    {
        var session = new SimulatorSession();
        SimulatorHandler handler = Handler(session);
        var request = new GenerationRequest { Model = "seedream-5-5-261028", Prompt = "a kite", SequenceField = false, OutputFormat = "png", Size = "1280x720" };
        GenerationResult result = await Client(handler).GenerateAsync(request, null, CancellationToken.None);
        var url = new Uri(result.Images.Single().Url!);
        Assert.Equal(SimulatedImage.Host, url.Host);
        Assert.Equal("png", result.Images[0].OutputFormat);

        var downloader = new ImageDownloader(new HttpClient(handler), new RetryPolicy(0));
        using var file = new MemoryStream();
        await downloader.DownloadAsync(url, file, null, null, CancellationToken.None);
        Assert.True(ImageHeaderReader.TryRead(file.ToArray(), out ImageHeader header, out _));
        Assert.Equal((ImageFormat.Png, 1280, 720), (header.Format, header.Width, header.Height));

        session.ClockOffset = TimeSpan.FromHours(24);
        var expired = await Assert.ThrowsAsync<SeedreamDownloadException>(() => downloader.DownloadAsync(url, new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(DownloadFailure.NotFound, expired.Failure);
        Assert.Equal(403, expired.StatusCode);
    }

    [Theory]
    [InlineData("seedream-5-5-261028", "{\"sequential_image_generation\":\"disabled\"}", 400, "InvalidParameter", "sequential_image_generation")]
    [InlineData("seedream-5-5-261028", "{\"stream\":true}", 400, "InvalidParameter", "stream")]
    [InlineData("seedream-4-5-251128", "{\"output_format\":\"png\"}", 400, "InvalidParameter", "output_format")]
    [InlineData("seedream-4-5-251128", "{\"size\":\"1K\"}", 400, "InvalidParameter", "size")]
    [InlineData("seedream-4-5-251128", "{\"background\":\"transparent\"}", 400, "InvalidParameter", "background")]
    [InlineData("seedream-9-9-999999", "{}", 404, "InvalidEndpointOrModel.NotFound", "model")]
    [InlineData("seedream-4-5-251128", "{\"prompt\":\"\"}", 400, "MissingParameter", "prompt")]
    public async Task What_the_api_refuses_the_simulator_refuses_with_the_api_error_body(string model, string fields, int status, string code, string param)
    {
        var extra = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fields)!
            .ToDictionary(p => p.Key, p => (object?)(p.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => p.Value.GetString(),
            }));
        var request = new GenerationRequest { Model = model, Prompt = "a boat", SequenceField = false, AdditionalBody = extra };

        var refused = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(Handler()).GenerateAsync(request, null, CancellationToken.None));

        Assert.Equal(status, refused.StatusCode);
        Assert.Equal(code, refused.Error!.Code);
        Assert.Equal(param, refused.Error.Param);
        Assert.Matches("Request id: ", refused.Error.Message);
    }

    [Fact]
    public async Task A_sequence_holds_as_many_images_as_the_prompt_asks_for_at_most_max_images()
    {
        GenerationResult Run(string prompt, int max) =>
            Client(Handler()).GenerateAsync(new GenerationRequest { Model = "seedream-4-0-250828", Prompt = prompt, MaxImages = max }, null, CancellationToken.None).GetAwaiter().GetResult();

        Assert.Equal(2, Run("2 images of a bridge", 4).Images.Count);
        Assert.Equal(4, Run("a bridge", 4).Images.Count);
        Assert.Equal(3, Run("9 images of a bridge", 3).Images.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Layer_decomposition_answers_the_base_image_and_its_layers_each_billed()
    {
        byte[] input = SimulatedPngWriter.Write(new SimulatedPicture(Seed(2), 800, 600, "IN"));
        var request = new GenerationRequest
        {
            Model = "seedream-5-0-flash-260915", Prompt = "", SequenceField = false, LayerDecomposition = true, Size = "auto",
            Images = [RequestImage.FromBytes(input, "png")],
        };
        var http = new HttpClient(Handler());
        using var response = await http.PostAsync(new Uri(Simulator.BaseUri + "/images/generations"), new ByteArrayContent(RequestBodyWriter.ToUtf8Json(request)));
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement[] data = answer.RootElement.GetProperty("data").EnumerateArray().ToArray();

        Assert.Equal("800x600", data[0].GetProperty("size").GetString());
        Assert.Equal(0, data[0].GetProperty("z_index").GetInt32());
        Assert.InRange(data.Length - 1, 1, 16);
        for (int k = 1; k < data.Length; k++)
        {
            Assert.Equal(k, data[k].GetProperty("z_index").GetInt32());
            Assert.Equal("png", data[k].GetProperty("output_format").GetString());
            int[] box = data[k].GetProperty("bounding_box").GetProperty("absolute").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            Assert.Equal($"{box[2] - box[0]}x{box[3] - box[1]}", data[k].GetProperty("size").GetString());
            Assert.True(box[0] >= 0 && box[1] >= 0 && box[2] <= 800 && box[3] <= 600);
        }

        Assert.Equal(data.Length, answer.RootElement.GetProperty("usage").GetProperty("generated_images").GetInt32());
        Assert.Equal(1, answer.RootElement.GetProperty("usage").GetProperty("input_images").GetInt32());
    }

    [Fact]
    public async Task Faults_are_played_for_as_many_requests_as_asked_then_the_simulator_answers_again()
    {
        var session = new SimulatorSession(SimulatedFault.ServerError, 2);
        SeedreamClient client = Client(Handler(session));
        var request = new GenerationRequest { Model = "seedream-4-0-250828", Prompt = "a hill" };

        for (int i = 0; i < 2; i++)
        {
            var failed = await Assert.ThrowsAsync<SeedreamApiException>(() => client.GenerateAsync(request, null, CancellationToken.None));
            Assert.Equal((500, "InternalServiceError"), (failed.StatusCode, failed.Error!.Code));
        }

        Assert.Single((await client.GenerateAsync(request, null, CancellationToken.None)).Images);
        Assert.Equal(0, session.FaultsLeft);
    }

    [Fact]
    public async Task A_cut_stream_ends_as_a_dropped_connection_does()
    {
        var request = new GenerationRequest { Model = "seedream-4-0-250828", Prompt = "a hill", MaxImages = 3, Stream = true };
        var cut = await Assert.ThrowsAsync<SeedreamStreamException>(() =>
            Client(Handler(new SimulatorSession(SimulatedFault.CutStream))).GenerateAsync(request, null, CancellationToken.None));
        Assert.Equal(1, cut.ImagesReceived);

        request.Stream = false;
        var broken = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
            Client(Handler(new SimulatorSession(SimulatedFault.CutStream))).GenerateAsync(request, null, CancellationToken.None));
        Assert.True(broken.MayHaveBeenBilled);
    }

    [Fact]
    public async Task A_stream_waiting_between_events_stops_when_cancelled()
    {
        var handler = new SimulatorHandler(ModelCatalog.Shipped, Simulator) { EventSpacing = TimeSpan.FromMinutes(10) };
        using var cancel = new CancellationTokenSource();
        var request = new GenerationRequest { Model = "seedream-4-0-250828", Prompt = "a hill", MaxImages = 2, Stream = true };
        Task<GenerationResult> call = Client(handler).GenerateAsync(request, new GenerationObserver { ImageReceived = _ => cancel.Cancel() }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void The_simulator_is_a_catalog_provider_that_takes_no_key_and_every_model()
    {
        Assert.Empty(Simulator.ApiKeyVariables);
        Assert.Equal(SimulatedImage.Host, Simulator.BaseUri.Host);
        Assert.Equal(ModelCatalog.Shipped.Models.Count, ModelCatalog.Shipped.ModelsOn(Simulator).Count());
        Assert.Single(ModelCatalog.Providers, p => p.IsSimulated);
    }

    private static byte[] Chunks(byte[] png, string type)
    {
        var data = new MemoryStream();
        for (int at = 8; at < png.Length;)
        {
            int length = (int)ReadUInt32(png, at);
            if (Encoding.ASCII.GetString(png, at + 4, 4) == type)
            {
                data.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        return data.ToArray();
    }

    private static uint ReadUInt32(byte[] data, int at) => (uint)((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]);

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }

    private static int IndexOf(byte[] jpeg, byte marker)
    {
        for (int i = 0; i < jpeg.Length - 1; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
            {
                return i;
            }
        }

        return -1;
    }
}
