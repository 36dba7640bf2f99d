using System.Collections.Concurrent;
using System.Globalization;
using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Seedream.Api;
using Seedream.FakeApi;
using Seedream.Imaging;

namespace Seedream.Tests;

/// <summary>
/// Issue 13: the faults that lost money or data. Each test fails on the code before its fix: a connection that drops
/// after the request was sent, a 200 with no image, answers that make the module hold too much, a missing created
/// time, CR-only event streams, downloads cut short without a length, stalled bodies, absurd retry hints,
/// -AdditionalBody leaf values, redirects away from http(s), and the User-Agent.
/// </summary>
public sealed class AnswerSafetyTests : FakeServerTests
{
    private const string ClientKey = "sk-answer-safety-key";

    public AnswerSafetyTests()
        : base(ClientKey)
    {
    }

    private SeedreamClient Client(HttpClient? http = null, int maxRetries = 2, double timeoutSec = 30, double idleSec = 30,
        bool retryLostAnswers = false, long maxAnswerBytes = 1L << 30, TimeSpan? maxServerDelay = null) =>
        new(http ?? Http, new ClientOptions
        {
            BaseUri = Server.ApiV1,
            ApiKey = ClientKey,
            RetryPolicy = new RetryPolicy(maxRetries) { InitialDelay = TimeSpan.FromMilliseconds(10), MaxServerDelay = maxServerDelay ?? TimeSpan.FromSeconds(60) },
            Timeout = TimeSpan.FromSeconds(timeoutSec),
            StreamIdleTimeout = TimeSpan.FromSeconds(idleSec),
            RetryLostAnswers = retryLostAnswers,
            MaxAnswerBytes = maxAnswerBytes,
        });

    private static GenerationRequest Request(int? maxImages = null, bool stream = false, string format = ResponseFormats.Url) => new()
    {
        Model = "seedream-4-5-251128",
        Prompt = "a lighthouse",
        MaxImages = maxImages,
        Stream = stream,
        ResponseFormat = format,
    };

    // ---- a connection that ends after the request was sent, or that never carried it ----

    [Fact]
    public async Task DroppedAfterSending_IsRepeatedOnlyWhenAskedFor()
    {
        Server.AddFaults(new FaultRule { Drop = true });
        var notices = new ConcurrentQueue<RetryNotice>();
        GenerationResult result = await Client(retryLostAnswers: true).GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Enqueue }, CancellationToken.None);
        Assert.Equal(2, result.Attempts);
        Assert.Contains("after the request was sent", Assert.Single(notices).Reason);
    }

    [Fact]
    public async Task NoConnection_IsRetried_AndNotBilled()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every connect is refused

        var client = new SeedreamClient(Http, new ClientOptions
        {
            BaseUri = new Uri($"http://127.0.0.1:{port}/v1"),
            ApiKey = ClientKey,
            RetryPolicy = new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) },
        });
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() => client.GenerateAsync(Request(), null, CancellationToken.None));
        Assert.False(error.MayHaveBeenBilled);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("Could not reach", error.Message);
    }

    [Fact]
    public async Task ARefusedConnection_ThenAnAnswer_Succeeds()
    {
        var handler = new RefuseFirstHandler(new SocketsHttpHandler { UseProxy = false });
        GenerationResult result = await Client(new HttpClient(handler)).GenerateAsync(Request(), null, CancellationToken.None);
        Assert.Equal(2, result.Attempts);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task TimedOutAfterSending_SaysItMayBeBilled()
    {
        Server.AddFaults(new FaultRule { DelayMs = 5000 });
        var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(timeoutSec: 0.5).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.True(error.MayHaveBeenBilled);
        Assert.Contains("whole request had been sent", error.Message);
    }

    // ---- a success that holds no image ----

    [Theory]
    [InlineData("{\"model\":\"m\",\"created\":1,\"data\":[]}")]
    [InlineData("{\"model\":\"m\",\"created\":1,\"data\":null}")]
    [InlineData("{\"model\":\"m\",\"created\":1,\"usage\":{\"generated_images\":0}}")]
    public async Task ASuccessWithoutImages_IsAnError(string body)
    {
        Server.AddFaults(new FaultRule { Body = body });
        var error = await Assert.ThrowsAsync<SeedreamInvalidResponseException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Contains("holds no image", error.Message);
        Assert.Equal(Server.Requests.Single().Id, error.RequestId);
    }

    [Fact]
    public async Task ASuccessWithARootError_IsThatError()
    {
        Server.AddFaults(new FaultRule { Body = "{\"error\":{\"code\":\"InternalServiceError\",\"message\":\"The service is busy.\"}}" });
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("InternalServiceError", error.ErrorCode);
        Assert.Contains("The service is busy.", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task AStreamThatCompletesWithoutImages_IsAnError()
    {
        string events = "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"usage\":{\"generated_images\":0}}\n\ndata: [DONE]\n\n";
        var handler = new CannedHandler(() => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(events, Encoding.UTF8, "text/event-stream"),
        });
        var error = await Assert.ThrowsAsync<SeedreamInvalidResponseException>(() => Client(new HttpClient(handler)).GenerateAsync(Request(stream: true), null, CancellationToken.None));
        Assert.Contains("holds no image", error.Message);
    }

    // ---- what an answer may make the module hold ----

    [Fact]
    public async Task AHugeUnknownField_IsSkipped_WithoutBeingBuffered()
    {
        // 50 MB of an unknown string, produced as it is read: it is never in memory, and must not be gathered either.
        var body = new GeneratedBodyStream("{\"model\":\"m\",\"created\":1,\"revised_prompt\":\"", 'p', 50_000_000,
            "\",\"data\":[{\"url\":\"https://x.example/a.png\",\"size\":\"1x1\"}],\"extra\":{\"notes\":[\"" , 'n', 5_000_000, "\"]}}");
        var result = new GenerationResult();
        IncrementalJsonReader reader = await GenerationBodyReader.ReadAsync(body, result, 16 * 1024, CancellationToken.None);
        Assert.Equal("https://x.example/a.png", Assert.Single(result.Images).Url);
        Assert.True(reader.BufferSize <= IncrementalJsonReader.SkipScanSize, $"the buffer grew to {reader.BufferSize:N0} bytes");
    }

    [Fact]
    public async Task AHugeUrl_FailsClearly_PastTheBound()
    {
        string body = "{\"data\":[{\"url\":\"https://x.example/" + new string('a', 2 * 1024 * 1024) + "\"}]}";
        var error = await Assert.ThrowsAsync<AnswerTooLargeException>(() =>
            GenerationBodyReader.ReadBoundedAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), new GenerationResult(), 1024 * 1024, CancellationToken.None));
        Assert.Contains("1,048,576 bytes", error.Message);
    }

    [Fact]
    public async Task AGzipBomb_StopsAtTheAnswerBound()
    {
        // 20 MB of padding that gzip shrinks to a few KB; the client reads at most 4 MB of the decompressed body.
        Server.AddFaults(new FaultRule { PadBytes = 20_000_000, Gzip = true });
        using var http = new HttpClient(HttpClientCache.CreateHandler(new ConnectionSettings())) { Timeout = Timeout.InfiniteTimeSpan };
        var error = await Assert.ThrowsAsync<SeedreamInvalidResponseException>(() => Client(http, maxAnswerBytes: 4_000_000).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Contains("larger than 4,000,000 bytes", error.Message);
        Assert.Contains("may already be billed", error.Message);
    }

    [Fact]
    public async Task ACompressedAnswer_WithALargeUnknownField_IsRead()
    {
        Server.AddFaults(new FaultRule { PadBytes = 3_000_000, Gzip = true });
        using var http = new HttpClient(HttpClientCache.CreateHandler(new ConnectionSettings())) { Timeout = Timeout.InfiniteTimeSpan };
        GenerationResult result = await Client(http).GenerateAsync(Request(), null, CancellationToken.None);
        Assert.NotNull(Assert.Single(result.Images).Url);
    }

    [Fact]
    public async Task AnOverlongEventName_IsCut()
    {
        string events = "event: " + new string('e', 1_000_000) + "\ndata: {}\n\n";
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes(events)), TimeSpan.FromSeconds(5));
        ServerSentEvent? read = await reader.ReadAsync(CancellationToken.None);
        byte[] data = new byte[16];
        Assert.Equal(2, await read!.Data.ReadAsync(data));
        Assert.True(read.Name!.Length < 300);
        Assert.EndsWith("(cut)", read.Name);
    }

    // ---- created ----

    [Theory]
    [InlineData("{\"model\":\"m\",\"data\":[{\"url\":\"https://x.example/a.png\"}]}")]
    [InlineData("{\"model\":\"m\",\"created\":null,\"data\":[{\"url\":\"https://x.example/a.png\"}]}")]
    public async Task AMissingCreatedTime_IsTheTimeTheAnswerArrived(string body)
    {
        Server.AddFaults(new FaultRule { Body = body });
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
        GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
        DateTimeOffset after = DateTimeOffset.UtcNow.AddSeconds(1);
        DateTimeOffset created = Assert.Single(result.Images).Created!.Value;
        Assert.InRange(created, before, after);
    }

    // ---- event streams with any line ending ----

    [Theory]
    [InlineData("cr")]
    [InlineData("crlf")]
    [InlineData("lf")]
    public async Task Streams_WithAnyLegalLineEnding_DeliverEveryImage(string lineEnding)
    {
        Server.AddFaults(new FaultRule { LineEnding = lineEnding });
        var received = new System.Collections.Concurrent.ConcurrentQueue<GeneratedImage>();
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true, format: ResponseFormats.Base64Json),
            new GenerationObserver { ImageReceived = received.Enqueue }, CancellationToken.None);
        Assert.Equal([0, 1, 2], result.Images.Select(i => i.Index));
        Assert.All(received, i => Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, i.Bytes!.Take(3)));
        Assert.Equal(3, result.Usage!.GeneratedImages);
    }

    // ---- downloads: cut short with no length, stalled, redirected away ----

    private async Task<Uri> ImageUrlAsync()
    {
        GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
        Server.Reset();
        return new Uri(result.Images[0].Url!);
    }

    /// <summary>An answer whose body ends where the connection closes (no Content-Length, no chunking), as HTTP/1.0 servers send.</summary>
    private static byte[] CloseDelimited(byte[] body) =>
        [.. Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n"), .. body];

    [Fact]
    public async Task ADownloadCutShort_WithoutALength_IsTriedAgain()
    {
        byte[] image = await Http.GetByteArrayAsync(await ImageUrlAsync());
        await using var server = RawHttpServer.Start(CloseDelimited(image[..(image.Length / 2)]), CloseDelimited(image));
        var file = new MemoryStream();
        var notices = new ConcurrentQueue<RetryNotice>();
        await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) })
            .DownloadAsync(server.Url, file, null, notices.Enqueue, CancellationToken.None);
        Assert.Equal(image, file.ToArray());
        Assert.Contains("before the image did", Assert.Single(notices).Reason);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task ADownloadCutShort_WithoutALength_EveryTime_Fails()
    {
        byte[] image = await Http.GetByteArrayAsync(await ImageUrlAsync());
        await using var server = RawHttpServer.Start(CloseDelimited(image[..(image.Length - 1)]));
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
            new ImageDownloader(Http, new RetryPolicy(1) { InitialDelay = TimeSpan.FromMilliseconds(1) }).DownloadAsync(server.Url, new MemoryStream(), null, null, CancellationToken.None));
        Assert.Contains("end-of-image marker", error.Message);
        Assert.Equal(2, error.Attempts);
    }

    [Fact]
    public async Task AChunkedDownloadCutShort_IsTriedAgain()
    {
        Uri url = await ImageUrlAsync();
        Server.AddFaults(new FaultRule { Target = FaultRule.DownloadTarget, Truncate = true, Chunked = true });
        var file = new MemoryStream();
        await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) }).DownloadAsync(url, file, null, null, CancellationToken.None);
        Assert.Equal(await Http.GetByteArrayAsync(url), file.ToArray());
        Assert.Equal(3, Server.Requests.Count); // the cut one, the whole one, and the comparison
    }

    [Fact]
    public async Task ARedirectToHttp_IsFollowed()
    {
        Uri url = await ImageUrlAsync();
        Server.AddFaults(new FaultRule { Target = FaultRule.DownloadTarget, RedirectTo = url.AbsoluteUri });
        var file = new MemoryStream();
        using var http = new HttpClient(HttpClientCache.CreateHandler(new ConnectionSettings())) { Timeout = Timeout.InfiniteTimeSpan };
        await new ImageDownloader(http).DownloadAsync(url, file, null, null, CancellationToken.None);
        Assert.Equal(await Http.GetByteArrayAsync(url), file.ToArray());
    }

    [Fact]
    public async Task AStalledDownload_IsTriedAgain_AfterTheIdleTimeout()
    {
        Uri url = await ImageUrlAsync();
        Server.AddFaults(new FaultRule { Target = FaultRule.DownloadTarget, StallAfterBytes = 100 });
        try
        {
            var file = new MemoryStream();
            var notices = new ConcurrentQueue<RetryNotice>();
            await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) }) { IdleTimeout = TimeSpan.FromSeconds(0.5) }
                .DownloadAsync(url, file, null, notices.Enqueue, CancellationToken.None);
            Assert.Equal(await Http.GetByteArrayAsync(url), file.ToArray());
            Assert.Contains("stalled", Assert.Single(notices).Reason);
        }
        finally
        {
            Server.ReleaseHeldStream();
        }
    }

    [Fact]
    public async Task AStalledAnswer_StopsAtTheIdleTimeout_AndMayBeBilled()
    {
        Server.AddFaults(new FaultRule { StallAfterBytes = 40 });
        try
        {
            var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(idleSec: 0.5).GenerateAsync(Request(), null, CancellationToken.None));
            Assert.True(error.MayHaveBeenBilled);
            Assert.Contains("sent nothing for 0.5 s", error.Message);
            Assert.Single(Server.Requests);
        }
        finally
        {
            Server.ReleaseHeldStream();
        }
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://files.example/a.png", "ftp")]
    public async Task ARedirectAwayFromHttp_IsRefused(string location, string scheme)
    {
        Uri url = await ImageUrlAsync();
        Server.AddFaults(new FaultRule { Target = FaultRule.DownloadTarget, RedirectTo = location });
        using var http = new HttpClient(HttpClientCache.CreateHandler(new ConnectionSettings())) { Timeout = Timeout.InfiniteTimeSpan };
        var error = await Assert.ThrowsAsync<SeedreamDownloadException>(() => new ImageDownloader(http).DownloadAsync(url, new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(DownloadFailure.UnsupportedScheme, error.Failure);
        Assert.Contains($"'{scheme}' URL", error.Message);
        Assert.Single(Server.Requests);
    }

    // ---- retry hints ----

    [Theory]
    [InlineData("1e20")]
    [InlineData("99999999999999999999999")]
    public async Task AHugeRetryHint_IsCutToTheCap_AndSaysSo(string hint)
    {
        Server.AddFaults(new FaultRule { Status = 429, RetryAfterMsText = hint });
        var notices = new ConcurrentQueue<RetryNotice>();
        GenerationResult result = await Client(maxServerDelay: TimeSpan.FromMilliseconds(20)).GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Enqueue }, CancellationToken.None);
        Assert.Equal(2, result.Attempts);
        RetryNotice notice = Assert.Single(notices);
        Assert.Equal(TimeSpan.FromMilliseconds(20), notice.Delay);
        Assert.Contains("the server asked to wait 24 hours or more, cut to", notice.Reason);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    [InlineData("-5")]
    public void ANonFiniteRetryHint_IsIgnored(string hint)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.TryAddWithoutValidation("retry-after-ms", hint);
        Assert.Null(RetryPolicy.ServerHint(response.Headers, DateTimeOffset.UtcNow));
        TimeSpan delay = new RetryPolicy(2, () => 0) { InitialDelay = TimeSpan.FromMilliseconds(500) }.GetDelay(1, response.Headers, DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.FromMilliseconds(500), delay);
    }

    // ---- -AdditionalBody leaf values ----

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task ANumberJsonCannotCarry_IsAValidationError_BeforeAnyRequest(double value, string named)
    {
        GenerationRequest request = Request();
        request.AdditionalBody = new Dictionary<string, object?> { ["extra"] = new Hashtable { ["scale"] = value } };
        var error = await Assert.ThrowsAsync<SeedreamValidationException>(() => Client().GenerateAsync(request, null, CancellationToken.None));
        Assert.Equal("AdditionalBody", error.ParameterName);
        Assert.Contains($"'extra.scale' is {named}", error.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void LeafValues_AreWrittenAsInvariantJson_InAnyCulture()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var request = new GenerationRequest
            {
                Model = "m",
                Prompt = "p",
                AdditionalBody = new Dictionary<string, object?>
                {
                    ["big"] = 1e30,
                    ["ratio"] = 0.1,
                    ["single"] = 2.5f,
                    ["when"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
                    ["at"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(8)),
                    ["id"] = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"),
                },
            };
            using JsonDocument body = JsonDocument.Parse(RequestBodyWriter.ToUtf8Json(request));
            JsonElement root = body.RootElement;
            Assert.Equal(1e30, root.GetProperty("big").GetDouble());
            Assert.Equal("0.1", root.GetProperty("ratio").GetRawText());
            Assert.Equal("2.5", root.GetProperty("single").GetRawText());
            Assert.Equal("2026-01-02T03:04:05Z", root.GetProperty("when").GetString());
            Assert.Equal("2026-01-02T03:04:05+08:00", root.GetProperty("at").GetString());
            Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e", root.GetProperty("id").GetString());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    // ---- hardening: headers, the client cache, cancellation callbacks ----

    [Fact]
    public async Task EveryRequestAndDownload_CarriesTheUserAgent_AndNoExpectContinue()
    {
        const string agent = "Seedream-PowerShell/1.2.3 (PowerShell Core 7.4.6; Test OS 1.0)";
        HttpClient http = HttpClientCache.Get(new ConnectionSettings { UserAgent = agent + "\r\nX-Injected: 1" });
        GenerationResult result = await Client(http).GenerateAsync(Request(), null, CancellationToken.None);
        await new ImageDownloader(http).DownloadAsync(new Uri(result.Images[0].Url!), new MemoryStream(), null, null, CancellationToken.None);

        Assert.Equal(2, Server.Requests.Count);
        Assert.All(Server.Requests, r => Assert.Equal(agent + "X-Injected: 1", r.UserAgent));
        Assert.All(Server.Requests, r => Assert.Null(r.Expect));
    }

    [Fact]
    public async Task TheRequest_SaysNoToExpectContinue()
    {
        // .NET Framework's HttpClientHandler sends "Expect: 100-continue" unless the request says false (null is not enough).
        HttpRequestMessage? sent = null;
        var handler = new CannedHandler(() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), request => sent = request);
        await Assert.ThrowsAsync<SeedreamApiException>(() => Client(new HttpClient(handler), maxRetries: 0).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.False(sent!.Headers.ExpectContinue ?? true);
    }

    [Fact]
    public async Task TheClientCache_BuildsEachClientOnce_AndStaysBounded()
    {
        var settings = new ConnectionSettings { ConnectTimeout = TimeSpan.FromSeconds(1234) };
        HttpClient[] clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => HttpClientCache.Get(new ConnectionSettings { ConnectTimeout = settings.ConnectTimeout }))));
        Assert.All(clients, c => Assert.Same(clients[0], c));

        for (int i = 0; i < HttpClientCache.Capacity * 3; i++)
        {
            HttpClientCache.Get(new ConnectionSettings { ConnectTimeout = TimeSpan.FromMilliseconds(100_000 + i) });
        }

        Assert.True(HttpClientCache.Count <= HttpClientCache.Capacity, $"{HttpClientCache.Count} clients kept");
    }

    [Fact]
    public async Task StoppingAStalledStream_WhoseDisposeThrows_DoesNotThrowOnTheCancellingThread()
    {
        var stream = new ThrowingDisposeStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource();
        Task<ServerSentEvent?> read = reader.ReadAsync(cancel.Token);
        await stream.ReadStarted;
        cancel.Cancel(); // would rethrow the Dispose failure as AggregateException if the callback let it out
        await Assert.ThrowsAnyAsync<Exception>(() => read);
        Assert.True(stream.DisposeCalled);
    }

    [Fact]
    public void ImageStructure_TellsWholeImagesFromCutOnes()
    {
        byte[] png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];
        Assert.Null(Check(png));
        Assert.Contains("IEND", Check(png[..^5]));
        Assert.Null(Check(jpeg));
        Assert.Contains("FF D9", Check(jpeg[..^1]));

        static string? Check(byte[] bytes) =>
            ImageStructure.CheckComplete(bytes.AsSpan(0, Math.Min(32, bytes.Length)), bytes.AsSpan(Math.Max(0, bytes.Length - 32)), bytes.Length);
    }

    /// <summary>A loopback HTTP server that answers each connection with the next canned bytes (the last repeats), then closes it.</summary>
    private sealed class RawHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly byte[][] _answers;
        private readonly Task _loop;
        private int _requests;

        private RawHttpServer(byte[][] answers)
        {
            _answers = answers;
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public static RawHttpServer Start(params byte[][] answers) => new(answers);

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/files/image.jpg");

        public int Requests => Volatile.Read(ref _requests);

        private async Task ServeAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception)
                {
                    return; // stopped
                }

                using (client)
                {
                    NetworkStream stream = client.GetStream();
                    var head = new List<byte>();
                    var one = new byte[1];
                    while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n') &&
                           await stream.ReadAsync(one) == 1)
                    {
                        head.Add(one[0]);
                    }

                    int index = Interlocked.Increment(ref _requests) - 1;
                    await stream.WriteAsync(_answers[Math.Min(index, _answers.Length - 1)]);
                    await stream.FlushAsync();
                    client.Client.Shutdown(SocketShutdown.Both);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }
    }

    /// <summary>Refuses the first request as a closed port would (nothing is sent), then passes requests on.</summary>
    private sealed class RefuseFirstHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)))
                : base.SendAsync(request, cancellationToken);
    }

    /// <summary>Answers every request with a response it makes.</summary>
    private sealed class CannedHandler(Func<HttpResponseMessage> answer, Action<HttpRequestMessage>? seen = null) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen?.Invoke(request);
            return Task.FromResult(answer());
        }
    }

    /// <summary>A JSON body made up as it is read: a prefix, a run of one character, a middle, another run, a suffix.</summary>
    private sealed class GeneratedBodyStream(string prefix, char fill, long fillLength, string middle, char fill2, long fill2Length, string suffix) : ReadOnlyTestStream
    {
        private readonly (byte[]? Text, byte Fill, long Length)[] _parts =
        [
            (Encoding.UTF8.GetBytes(prefix), 0, prefix.Length), (null, (byte)fill, fillLength), (Encoding.UTF8.GetBytes(middle), 0, middle.Length),
            (null, (byte)fill2, fill2Length), (Encoding.UTF8.GetBytes(suffix), 0, suffix.Length),
        ];

        private int _part;
        private long _offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_part < _parts.Length && _offset == _parts[_part].Length)
            {
                _part++;
                _offset = 0;
            }

            if (_part == _parts.Length)
            {
                return 0;
            }

            var (text, fillByte, length) = _parts[_part];
            int n = (int)Math.Min(Math.Min(count, 65536), length - _offset);
            if (text != null)
            {
                Array.Copy(text, _offset, buffer, offset, n);
            }
            else
            {
                buffer.AsSpan(offset, n).Fill(fillByte);
            }

            _offset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }

    /// <summary>A read that waits until the stream is disposed; Dispose itself throws, as some transports' do.</summary>
    private sealed class ThrowingDisposeStream : ReadOnlyTestStream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task ReadStarted => _started.Task;

        public bool DisposeCalled { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await _disposed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            throw new IOException("The stream was closed.");
        }

        protected override void Dispose(bool disposing)
        {
            DisposeCalled = true;
            _disposed.TrySetResult();
            throw new InvalidOperationException("Dispose failed.");
        }
    }
}
