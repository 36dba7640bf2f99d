using System.Collections.Concurrent;
using Seedream.Api;
using Seedream.FakeApi;

namespace Seedream.Tests;

/// <summary>The API client against the fake API over real HTTP on loopback.</summary>
public sealed class SeedreamClientTests : FakeServerTests
{
    private const string ClientKey = "sk-client-tests-key";

    public SeedreamClientTests()
        : base(ClientKey)
    {
    }

    private SeedreamClient Client(int maxRetries = 2, double timeoutSec = 30, double idleSec = 30, string key = ClientKey) =>
        new(Http, new ClientOptions
        {
            BaseUri = Server.ApiV1,
            ApiKey = key,
            RetryPolicy = new RetryPolicy(maxRetries) { InitialDelay = TimeSpan.FromMilliseconds(10) },
            Timeout = TimeSpan.FromSeconds(timeoutSec),
            StreamIdleTimeout = TimeSpan.FromSeconds(idleSec),
        });

    private static GenerationRequest Request(int? maxImages = null, bool stream = false, string format = ResponseFormats.Url) => new()
    {
        Model = "seedream-4-5-251128",
        Prompt = "a lighthouse",
        MaxImages = maxImages,
        Stream = stream,
        ResponseFormat = format,
    };

    [Fact]
    public async Task Streamed_FirstImageArrives_BeforeTheServerSendsTheRest()
    {
        Server.AddFaults(new FaultRule { HoldAfterEvents = 1 });
        int eventsSentAtFirstImage = -1;
        var observer = new GenerationObserver
        {
            ImageReceived = image =>
            {
                if (eventsSentAtFirstImage < 0)
                {
                    eventsSentAtFirstImage = Server.Requests.Single().EventsSent;
                    Server.ReleaseHeldStream();
                }
            },
        };

        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true), observer, CancellationToken.None);

        Assert.Equal(1, eventsSentAtFirstImage);
        Assert.True(Server.Requests.Single().HoldReleased);
        Assert.Equal([0, 1, 2], result.Images.Select(i => i.Index));
        Assert.Equal(3, result.Usage!.GeneratedImages);
        Assert.All(result.Images, i => Assert.Equal(result.RequestId, i.RequestId));
    }

    [Fact]
    public async Task Streamed_Base64_IsDecoded()
    {
        var received = new ConcurrentQueue<GeneratedImage>();
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 2, stream: true, format: ResponseFormats.Base64Json),
            new GenerationObserver { ImageReceived = received.Enqueue }, CancellationToken.None);
        Assert.Equal(2, received.Count);
        Assert.All(received, i => Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, i.Bytes!.Take(3)));

        // Handed over once: the result keeps each slot, not its bytes.
        Assert.Equal([0, 1], result.Images.Select(i => i.Index));
        Assert.All(result.Images, i => Assert.Null(i.Bytes));
    }

    [Fact]
    public async Task Streamed_the_read_waits_for_room_before_taking_the_next_image()
    {
        // Images of about 11 MB of base64 each: the connection's buffers hold at most one or two beyond the first.
        Server.UpdateSettings(imagePaddingBytes: 8_000_000);
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        var observer = new GenerationObserver
        {
            ImageReceived = _ => Interlocked.Increment(ref received),
            WaitForRoom = _ =>
            {
                if (Volatile.Read(ref received) > 1)
                {
                    return Task.CompletedTask;
                }

                paused.TrySetResult();
                return gate.Task;
            },
        };

        Task<GenerationResult> call = Client().GenerateAsync(Request(maxImages: 6, stream: true, format: ResponseFormats.Base64Json), observer, CancellationToken.None);
        await paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(1000); // time for an unpaused read to take in the rest
        int sentWhilePaused = Server.Requests.Single().EventsSent;
        int receivedWhilePaused = Volatile.Read(ref received);
        gate.SetResult();
        GenerationResult result = await call;

        Assert.Equal(1, receivedWhilePaused);
        Assert.True(sentWhilePaused <= 3, $"the fake had sent {sentWhilePaused} events while the client waited for room");
        Assert.Equal(6, result.Images.Count);
    }

    [Fact]
    public async Task Streamed_no_image_is_decoded_while_an_earlier_one_waits_and_the_last_one_is_not_waited_for()
    {
        // The room for each image handed over is awaited when the next image's bytes start: by then exactly the
        // earlier images have been handed over, and nothing waits after the last image, so the stream ends and the
        // request frees its slot even while its last image still waits for the pipeline.
        var receivedAtEachWait = new ConcurrentQueue<int>();
        int received = 0;
        var observer = new GenerationObserver
        {
            ImageReceived = _ => Interlocked.Increment(ref received),
            WaitForRoom = _ =>
            {
                receivedAtEachWait.Enqueue(Volatile.Read(ref received));
                return Task.CompletedTask;
            },
        };

        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true, format: ResponseFormats.Base64Json), observer, CancellationToken.None);

        Assert.Equal(3, result.Images.Count);
        Assert.Equal([1, 2], receivedAtEachWait);
    }

    [Fact]
    public async Task Streamed_a_one_image_stream_finishes_while_its_image_still_waits_for_room()
    {
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int waits = 0;
        var observer = new GenerationObserver
        {
            WaitForRoom = _ =>
            {
                Interlocked.Increment(ref waits);
                return never.Task;
            },
        };

        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 1, stream: true, format: ResponseFormats.Base64Json), observer, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Single(result.Images);
        Assert.Equal(0, waits);
    }

    [Fact]
    public async Task Streamed_PartialFailure_IsAnErrorSlot_OthersArrive()
    {
        Server.AddFaults(new FaultRule { ErrorSlots = [1] });
        var received = new ConcurrentQueue<GeneratedImage>();
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true), new GenerationObserver { ImageReceived = received.Enqueue }, CancellationToken.None);
        Assert.Equal(3, received.Count);
        Assert.Equal("OutputImageSensitiveContentDetected", result.Images.Single(i => i.Index == 1).Error!.Code);
        Assert.Equal(2, result.Images.Count(i => i.Succeeded));
    }

    [Fact]
    public async Task Streamed_Cut_SaysHowManyArrived_AndIsNotRetried()
    {
        Server.AddFaults(new FaultRule { CutAfterEvents = 2 });
        var error = await Assert.ThrowsAsync<SeedreamStreamException>(() => Client().GenerateAsync(Request(maxImages: 4, stream: true), null, CancellationToken.None));
        Assert.Equal(2, error.ImagesReceived);
        Assert.Contains("2 image(s) had arrived", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Streamed_ErrorEvent_CarriesItsCode()
    {
        Server.AddFaults(new FaultRule { ErrorEvent = true, Code = "InternalServiceError" });
        var error = await Assert.ThrowsAsync<SeedreamStreamException>(() => Client().GenerateAsync(Request(stream: true), null, CancellationToken.None));
        Assert.Equal("InternalServiceError", error.Error!.Code);
    }

    [Fact]
    public async Task Streamed_Idle_TimesOut()
    {
        Server.AddFaults(new FaultRule { HoldAfterEvents = 1 });
        try
        {
            var error = await Assert.ThrowsAsync<SeedreamStreamException>(() => Client(idleSec: 0.3).GenerateAsync(Request(maxImages: 2, stream: true), null, CancellationToken.None));
            Assert.True(error.IdleTimedOut);
            Assert.Equal(1, error.ImagesReceived);
        }
        finally
        {
            Server.ReleaseHeldStream();
        }
    }

    [Fact]
    public async Task RateLimited_RetriesAfterTheServerHint_AndTellsTheObserver()
    {
        Server.AddFaults(new FaultRule { Status = 429, RetryAfterMs = 30 });
        var notices = new ConcurrentQueue<RetryNotice>();
        GenerationResult result = await Client().GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Enqueue }, CancellationToken.None);
        Assert.Equal(2, result.Attempts);
        RetryNotice notice = Assert.Single(notices);
        Assert.Equal(TimeSpan.FromMilliseconds(30), notice.Delay);
        Assert.Contains("429", notice.Reason);
        Assert.Contains("RateLimitExceeded", notice.Reason);
        Assert.Equal(2, Server.Requests.Count);
    }

    [Theory]
    [InlineData(400, "InvalidParameter")]
    [InlineData(401, "AuthenticationError")]
    [InlineData(403, "AccessDenied")]
    [InlineData(429, "QuotaExceeded")]
    public async Task PermanentErrors_AreNotRetried(int status, string code)
    {
        Server.AddFaults(new FaultRule { Status = status, Code = code, Times = 3 });
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(Server.Requests.Single().Id, error.RequestId);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task GivingUp_TellsAttemptsAndRequestId()
    {
        Server.AddFaults(new FaultRule { Status = 503, RetryAfterMs = 1, Times = 3 });
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(maxRetries: 2).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal(3, error.Attempts);
        Assert.Contains("3 attempts", error.Message);
        Assert.Contains(Server.Requests.Last().Id, error.Message);
    }

    [Fact]
    public async Task DroppedAfterTheRequestWasSent_IsNotRepeated_AndMayBeBilled()
    {
        // The fake reads the whole request, then closes the connection: it could have been generating (and billing).
        Server.AddFaults(new FaultRule { Drop = true });
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.True(error.MayHaveBeenBilled);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("after the whole request was sent", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task TruncatedBody_IsNotRetried_AndMayBeBilled()
    {
        Server.AddFaults(new FaultRule { Truncate = true });
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.True(error.MayHaveBeenBilled);
        Assert.Contains("may already be billed", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task MalformedJson_IsAnInvalidResponse()
    {
        Server.AddFaults(new FaultRule { Malformed = true });
        var error = await Assert.ThrowsAsync<SeedreamInvalidResponseException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Contains("not valid JSON", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task HtmlErrorPage_IsSummarised()
    {
        Server.AddFaults(new FaultRule { Html = true, Status = 502 });
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(maxRetries: 0).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Contains("titled '502 Bad Gateway'", error.Message);
        Assert.DoesNotContain("<", error.Message);
    }

    [Fact]
    public async Task SlowServer_TimesOut()
    {
        Server.AddFaults(new FaultRule { DelayMs = 5000 });
        var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(timeoutSec: 0.5).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task Cancellation_IsNotATimeout()
    {
        Server.AddFaults(new FaultRule { DelayMs = 10000 });
        using var cancel = new CancellationTokenSource();
        Task call = Client().GenerateAsync(Request(), null, cancel.Token);
        while (Server.Requests.Count == 0)
        {
            await Task.Delay(10);
        }

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task TheKey_GoesOnlyIntoTheAuthorizationHeader()
    {
        var trace = new ConcurrentQueue<string>();
        Server.AddFaults(new FaultRule { Status = 429, RetryAfterMs = 1 });
        var notices = new ConcurrentQueue<RetryNotice>();
        GenerationResult result = await Client().GenerateAsync(Request(), new GenerationObserver { Trace = trace.Enqueue, Retrying = notices.Enqueue }, CancellationToken.None);
        Assert.Equal(2, Server.Requests.Count);
        Assert.All(Server.Requests, r => Assert.Equal("ok", r.Authorization));
        Assert.NotEmpty(notices);
        Assert.DoesNotContain(trace.Concat(notices.Select(n => n.Reason)), line => line.Contains(Key));

        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(key: "sk-wrong-key-123").GenerateAsync(Request(), null, CancellationToken.None));
        Assert.DoesNotContain("sk-wrong-key-123", error.ToString());
    }

    [Fact]
    public async Task Downloader_NotFound_TellsAboutExpiry()
    {
        var downloader = new ImageDownloader(Http, new RetryPolicy(2));
        var error = await Assert.ThrowsAsync<SeedreamDownloadException>(() =>
            downloader.DownloadAsync(new Uri(Server.Root, "files/nothing.jpg?X-Tos-Signature=secret"), new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(DownloadFailure.NotFound, error.Failure);
        Assert.Contains("24 hours", error.Message);
        Assert.DoesNotContain("secret", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Downloader_RetriesABrokenDownload_FromAnEmptyDestination()
    {
        GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
        Server.AddFaults(new FaultRule { Target = FaultRule.DownloadTarget, Truncate = true });
        var destination = new MemoryStream();
        var notices = new ConcurrentQueue<RetryNotice>();
        await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) })
            .DownloadAsync(new Uri(result.Images[0].Url!), destination, null, notices.Enqueue, CancellationToken.None);
        byte[] direct = await Http.GetByteArrayAsync(result.Images[0].Url);
        Assert.Equal(direct, destination.ToArray());
        Assert.Contains("broke off", Assert.Single(notices).Reason);
    }

    [Fact]
    public async Task Downloader_EnforcesTheSizeCap_AndTheScheme()
    {
        GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
        var downloader = new ImageDownloader(Http) { MaxBytes = 10 };
        var tooLarge = await Assert.ThrowsAsync<SeedreamDownloadException>(() =>
            downloader.DownloadAsync(new Uri(result.Images[0].Url!), new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(DownloadFailure.TooLarge, tooLarge.Failure);

        var scheme = await Assert.ThrowsAsync<SeedreamDownloadException>(() =>
            downloader.DownloadAsync(new Uri("file:///etc/passwd"), new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(DownloadFailure.UnsupportedScheme, scheme.Failure);
    }

    // The fake states what a server chose, not an echo (AnswerChoices): these read the exact values back.

    [Fact]
    public async Task TheAnswersSizeAndCreated_ReachTheResult()
    {
        Server.Answers = new AnswerChoices { Size = "1984x1472", Created = 1767323224 };
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 2, stream: true), null, CancellationToken.None);
        Assert.Equal(2, result.Images.Count);
        Assert.Equal(["1984x1472", "1984x1472"], result.Images.Select(i => i.Size));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767323224), result.Created);
        Assert.Equal([DateTimeOffset.FromUnixTimeSeconds(1767323224), DateTimeOffset.FromUnixTimeSeconds(1767323224)], result.Images.Select(i => i.Created));

        GenerationResult whole = await Client().GenerateAsync(Request(), null, CancellationToken.None);
        Assert.Equal("1984x1472", Assert.Single(whole.Images).Size);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767323224), whole.Created);
    }

    [Theory]
    [InlineData(StreamNaming.Both)]
    [InlineData(StreamNaming.NameOnly)]
    [InlineData(StreamNaming.TypeOnly)]
    [InlineData(StreamNaming.GatewayType)]
    public async Task Streamed_EventsAreKnownByName_ThenByType(StreamNaming naming)
    {
        Server.Answers = new AnswerChoices { Naming = naming };
        Server.AddFaults(new FaultRule { ErrorSlots = [1] });
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true), null, CancellationToken.None);
        Assert.Equal([0, 1, 2], result.Images.Select(i => i.Index));
        Assert.Equal([true, false, true], result.Images.Select(i => i.Succeeded));
        Assert.Equal(2, result.Usage!.GeneratedImages);
    }

    [Fact]
    public async Task Streamed_ImagesOutOfOrder_KeepTheirImageIndex()
    {
        Server.Answers = new AnswerChoices { Reversed = true };
        Server.AddFaults(new FaultRule { ErrorSlots = [0] });
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true), null, CancellationToken.None);
        Assert.Equal([2, 1, 0], result.Images.Select(i => i.Index));
        Assert.Equal([true, true, false], result.Images.Select(i => i.Succeeded));
    }

    [Fact]
    public async Task Streamed_WithoutImageIndex_ImagesTakeTheirOrder()
    {
        Server.Answers = new AnswerChoices { ImageIndexes = false, Naming = StreamNaming.NameOnly };
        GenerationResult result = await Client().GenerateAsync(Request(maxImages: 3, stream: true), null, CancellationToken.None);
        Assert.Equal([0, 1, 2], result.Images.Select(i => i.Index));
    }
}
