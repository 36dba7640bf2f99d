using System.Security.Authentication;
using Seedream.Api;
using Seedream.FakeApi;

namespace Seedream.Tests;

/// <summary>
/// How the client and the downloader report what goes wrong on the wire: stalled bodies on a stream that ignores its
/// token (Windows PowerShell), connect time-outs, TLS failures, time-outs after an error status, and the 429 pause.
/// </summary>
public sealed class ApiFaultTests : FakeServerTests
{
    public ApiFaultTests()
        : base("sk-fault-tests-key")
    {
    }

    private static readonly Uri Unreachable = new("http://127.0.0.1:9/v1");

    private SeedreamClient Client(HttpMessageHandler handler, double timeoutSec = 30, RetryPolicy? retry = null, SharedBackoff? backoff = null, Uri? baseUri = null) =>
        Client(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, timeoutSec, retry, backoff, baseUri);

    private SeedreamClient Client(HttpClient http, double timeoutSec = 30, RetryPolicy? retry = null, SharedBackoff? backoff = null, Uri? baseUri = null) =>
        new(http, new ClientOptions
        {
            BaseUri = baseUri ?? Server.ApiV1,
            ApiKey = Key,
            RetryPolicy = retry ?? new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(10) },
            Timeout = TimeSpan.FromSeconds(timeoutSec),
        }, backoff);

    private static GenerationRequest Request() => new()
    {
        Model = "seedream-4-5-251128",
        Prompt = "a lighthouse",
        ResponseFormat = ResponseFormats.Url,
    };

    private static bool IsGenerationAnswer(HttpRequestMessage request, HttpResponseMessage response) =>
        request.Method == HttpMethod.Post && response.IsSuccessStatusCode;

    private static bool IsDownload(HttpRequestMessage request, HttpResponseMessage response) =>
        request.Method == HttpMethod.Get && response.IsSuccessStatusCode;

    [Fact]
    public async Task StalledBody_OnAStreamThatIgnoresItsToken_IsATimeout_ThatMayBeBilled()
    {
        var handler = new StallingBodyHandler(IsGenerationAnswer, passBytes: 20);
        var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(handler, timeoutSec: 0.5).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.True(handler.StoppedByDispose);
        Assert.True(error.MayHaveBeenBilled);
        Assert.Contains("may already be billed", error.Message);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task StalledBody_OnAStreamThatIgnoresItsToken_StopsOnCancellation()
    {
        var handler = new StallingBodyHandler(IsGenerationAnswer, passBytes: 20);
        using var cancel = new CancellationTokenSource();
        Task call = Client(handler).GenerateAsync(Request(), null, cancel.Token);
        await handler.Stalled;
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(handler.StoppedByDispose);
    }

    [Fact]
    public async Task StalledErrorBody_IsATimeout_ThatIsNotBilled()
    {
        Server.AddFaults(new FaultRule { Status = 503, Times = 3 });
        var handler = new StallingBodyHandler((_, response) => (int)response.StatusCode == 503);
        var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(handler, timeoutSec: 0.5).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.False(error.MayHaveBeenBilled);
        Assert.DoesNotContain("billed", error.Message);
        Assert.True(handler.StoppedByDispose);
    }

    [Fact]
    public async Task TimeoutWhileWaitingAfterAnErrorStatus_IsNotBilled()
    {
        Server.AddFaults(new FaultRule { Status = 503 });
        var patient = new RetryPolicy(2) { InitialDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1) };
        var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(Http, timeoutSec: 0.5, retry: patient).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.False(error.MayHaveBeenBilled);
        Assert.DoesNotContain("billed", error.Message);
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task ServerWaitLongerThanTheTimeLeft_RaisesTheApiErrorAtOnce()
    {
        Server.AddFaults(new FaultRule { Status = 429, RetryAfter = "30" });
        var notices = new List<RetryNotice>();
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() =>
            Client(Http, timeoutSec: 5).GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Add }, CancellationToken.None));
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(Server.Requests.Single().Id, error.RequestId);
        Assert.False(string.IsNullOrEmpty(error.ErrorCode));
        Assert.Equal(1, error.Attempts);
        Assert.Contains("asked to wait 30 s", error.Message);
        Assert.Contains("-TimeoutSec", error.Message);
        Assert.Empty(notices);
    }

    [Fact]
    public async Task A429ThatIsNotRetried_DoesNotPauseTheOtherRequests()
    {
        Server.AddFaults(new FaultRule { Status = 429, Code = "QuotaExceeded", RetryAfter = "30" });
        var backoff = new SharedBackoff();
        var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(Http, backoff: backoff).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal("QuotaExceeded", error.ErrorCode);
        Assert.True(backoff.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A429ThatIsRetried_PausesTheOtherRequests()
    {
        Server.AddFaults(new FaultRule { Status = 429, RetryAfter = "5" });
        var backoff = new SharedBackoff();
        var paused = new TaskCompletionSource<bool>();
        var observer = new GenerationObserver { Retrying = _ => paused.TrySetResult(!backoff.WaitAsync(CancellationToken.None).IsCompleted) };
        using var cancel = new CancellationTokenSource();
        Task call = Client(Http, backoff: backoff).GenerateAsync(Request(), observer, cancel.Token);
        Assert.True(await paused.Task);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task ConnectTimeout_IsAConnectionFailure_RetriedThenReported()
    {
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation nobody asked for.
        var handler = new ThrowingHandler(() => new OperationCanceledException(
            "The operation was canceled.", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")));
        var notices = new List<RetryNotice>();
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
            Client(handler, baseUri: Unreachable).GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Add }, CancellationToken.None));
        Assert.Equal(3, handler.Calls);
        Assert.Equal(2, notices.Count);
        Assert.Equal(3, error.Attempts);
        Assert.False(error.MayHaveBeenBilled);
        Assert.Contains("connect time-out", error.Message);
        Assert.Contains("-ConnectTimeoutSec", error.Message);
    }

    [Fact]
    public async Task TlsFailure_IsNotRetried_AndSaysSo()
    {
        var handler = new ThrowingHandler(() => new HttpRequestException(
            "The SSL connection could not be established, see inner exception.",
            new AuthenticationException("The remote certificate is invalid according to the validation procedure.")));
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
            Client(handler, baseUri: Unreachable).GenerateAsync(Request(), null, CancellationToken.None));
        Assert.Equal(1, handler.Calls);
        Assert.Equal(1, error.Attempts);
        Assert.False(error.MayHaveBeenBilled);
        Assert.Contains("TLS/certificate", error.Message);
    }

    [Fact]
    public async Task Downloader_TlsFailure_IsNotRetried()
    {
        var handler = new ThrowingHandler(() => new HttpRequestException("The SSL connection could not be established.", new AuthenticationException("bad certificate")));
        var downloader = new ImageDownloader(new HttpClient(handler), new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) });
        var error = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
            downloader.DownloadAsync(new Uri("https://127.0.0.1:9/files/x.jpg"), new MemoryStream(), null, null, CancellationToken.None));
        Assert.Equal(1, handler.Calls);
        Assert.Contains("TLS/certificate", error.Message);
    }

    [Fact]
    public async Task Downloader_StalledBody_IsATimeout()
    {
        Uri url = await GeneratedImageUrl();
        var handler = new StallingBodyHandler(IsDownload, passBytes: 100);
        var downloader = new ImageDownloader(new HttpClient(handler)) { Timeout = TimeSpan.FromSeconds(0.5) };
        await Assert.ThrowsAsync<SeedreamTimeoutException>(() => downloader.DownloadAsync(url, new MemoryStream(), null, null, CancellationToken.None));
        Assert.True(handler.StoppedByDispose);
    }

    [Fact]
    public async Task Downloader_StalledBody_StopsOnCancellation()
    {
        Uri url = await GeneratedImageUrl();
        var handler = new StallingBodyHandler(IsDownload, passBytes: 100);
        var downloader = new ImageDownloader(new HttpClient(handler));
        using var cancel = new CancellationTokenSource();
        Task download = downloader.DownloadAsync(url, new MemoryStream(), null, null, cancel.Token);
        await handler.Stalled;
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.True(handler.StoppedByDispose);
    }

    private async Task<Uri> GeneratedImageUrl()
    {
        GenerationResult result = await Client(Http).GenerateAsync(Request(), null, CancellationToken.None);
        return new Uri(result.Images[0].Url!);
    }
}
