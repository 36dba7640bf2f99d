using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>
    /// The faults of issue 13 on the desktop runtime, whose HTTP stack (HttpWebRequest underneath) raises other
    /// exceptions, ignores other tokens and sends other headers than .NET's.
    /// </summary>
    public sealed class FaultTests : IClassFixture<FakeApi>
    {
        private const string Agent = "Seedream-PowerShell/9.9.9 (PowerShell Desktop 5.1; Desktop lane)";
        private readonly FakeApi _fake;

        public FaultTests(FakeApi fake)
        {
            _fake = fake;
            _fake.Reset();
        }

        private static HttpClient Http => HttpClientCache.Get(new ConnectionSettings { UserAgent = Agent });

        private SeedreamClient Client(Uri? baseUri = null, double idleSec = 60, double timeoutSec = 60, long maxAnswerBytes = 1L << 30) =>
            new SeedreamClient(Http, new ClientOptions
            {
                BaseUri = baseUri ?? _fake.ApiV1,
                ApiKey = FakeApi.Key,
                RetryPolicy = new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(10), MaxServerDelay = TimeSpan.FromMilliseconds(20) },
                StreamIdleTimeout = TimeSpan.FromSeconds(idleSec),
                Timeout = TimeSpan.FromSeconds(timeoutSec),
                MaxAnswerBytes = maxAnswerBytes,
            });

        private static GenerationRequest Request(int? maxImages = null, bool stream = false) => ClientTests.Request(maxImages, stream);

        [Fact]
        public async Task Requests_CarryTheUserAgent_AndNoExpectContinue()
        {
            GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            await new ImageDownloader(Http).DownloadAsync(new Uri(result.Images[0].Url!), new MemoryStream(), null, null, CancellationToken.None);
            JsonElement[] requests = _fake.Requests();
            Assert.Equal(2, requests.Length);
            Assert.All(requests, r => Assert.Equal(Agent, r.GetProperty("userAgent").GetString()));
            Assert.All(requests, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("expect").ValueKind));
        }

        [Fact]
        public async Task DroppedAfterSending_IsNotRepeated_AndMayBeBilled()
        {
            _fake.AddFaults("{\"drop\":true,\"times\":3}");
            var error = await Assert.ThrowsAsync<SeedreamTransportException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
            Assert.True(error.MayHaveBeenBilled, error.Message);
            Assert.Contains("after the whole request was sent", error.Message);
            Assert.Single(_fake.Requests("generate"));
        }

        [Fact]
        public async Task NoConnection_IsRetried_AndNotBilled()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var error = await Assert.ThrowsAsync<SeedreamTransportException>(() =>
                Client(new Uri($"http://127.0.0.1:{port}/v1")).GenerateAsync(Request(), null, CancellationToken.None));
            Assert.False(error.MayHaveBeenBilled, error.Message);
            Assert.Equal(3, error.Attempts);
        }

        [Fact]
        public async Task AStalledAnswer_StopsAtTheIdleTimeout()
        {
            _fake.AddFaults("{\"stallAfterBytes\":40}");
            try
            {
                var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(idleSec: 1).GenerateAsync(Request(), null, CancellationToken.None));
                Assert.True(error.MayHaveBeenBilled);
            }
            finally
            {
                _fake.Release();
            }
        }

        [Fact]
        public async Task Cancellation_OfAStalledAnswer_IsACancellation()
        {
            _fake.AddFaults("{\"stallAfterBytes\":40}");
            using var cancel = new CancellationTokenSource();
            try
            {
                Task call = Client().GenerateAsync(Request(), null, cancel.Token);
                for (int i = 0; i < 3000 && _fake.Requests("generate").Length == 0; i++)
                {
                    await Task.Delay(10);
                }

                cancel.CancelAfter(300);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            }
            finally
            {
                _fake.Release();
            }
        }

        [Fact]
        public async Task TimeOut_OfAStalledAnswer_IsATimeOut()
        {
            _fake.AddFaults("{\"stallAfterBytes\":40}");
            try
            {
                await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(timeoutSec: 1).GenerateAsync(Request(), null, CancellationToken.None));
            }
            finally
            {
                _fake.Release();
            }
        }

        [Theory]
        [InlineData("cr")]
        [InlineData("crlf")]
        public async Task Streams_WithCrOrCrLf_DeliverEveryImage(string ending)
        {
            _fake.AddFaults($"{{\"lineEnding\":\"{ending}\"}}");
            GenerationResult result = await Client().GenerateAsync(Request(maxImages: 2, stream: true), null, CancellationToken.None);
            Assert.Equal(new[] { 0, 1 }, result.Images.Select(i => i.Index));
        }

        [Fact]
        public async Task ASuccessWithARootError_IsThatError()
        {
            _fake.AddFaults("{\"body\":\"{\\\"error\\\":{\\\"code\\\":\\\"InternalServiceError\\\",\\\"message\\\":\\\"busy\\\"}}\"}");
            var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client().GenerateAsync(Request(), null, CancellationToken.None));
            Assert.Equal("InternalServiceError", error.ErrorCode);
        }

        [Fact]
        public async Task AGzipBomb_StopsAtTheBound()
        {
            _fake.AddFaults("{\"padBytes\":20000000,\"gzip\":true}");
            var error = await Assert.ThrowsAsync<SeedreamInvalidResponseException>(() => Client(maxAnswerBytes: 4_000_000).GenerateAsync(Request(), null, CancellationToken.None));
            Assert.Contains("larger than 4,000,000 bytes", error.Message);
        }

        [Fact]
        public async Task AHugeRetryHint_IsCut()
        {
            _fake.AddFaults("{\"status\":429,\"retryAfterMsText\":\"1e20\"}");
            var notices = new ConcurrentQueue<RetryNotice>();
            GenerationResult result = await Client().GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Enqueue }, CancellationToken.None);
            Assert.Equal(2, result.Attempts);
            Assert.Contains("cut to", notices.Single().Reason);
        }

        [Fact]
        public async Task Downloads_FollowHttpRedirects_AndRefuseFile()
        {
            GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            var url = new Uri(result.Images[0].Url!);
            _fake.AddFaults($"{{\"target\":\"download\",\"redirectTo\":\"{url.AbsoluteUri}\"}}");
            var file = new MemoryStream();
            await new ImageDownloader(Http).DownloadAsync(url, file, null, null, CancellationToken.None);
            Assert.True(file.Length > 0);

            _fake.AddFaults("{\"target\":\"download\",\"redirectTo\":\"file:///etc/passwd\"}");
            var error = await Assert.ThrowsAsync<SeedreamDownloadException>(() => new ImageDownloader(Http).DownloadAsync(url, new MemoryStream(), null, null, CancellationToken.None));
            Assert.Equal(DownloadFailure.UnsupportedScheme, error.Failure);
        }

        [Fact]
        public async Task AStalledDownload_IsTriedAgain()
        {
            GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            _fake.AddFaults("{\"target\":\"download\",\"stallAfterBytes\":100}");
            try
            {
                var notices = new ConcurrentQueue<RetryNotice>();
                var file = new MemoryStream();
                await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) }) { IdleTimeout = TimeSpan.FromSeconds(1) }
                    .DownloadAsync(new Uri(result.Images[0].Url!), file, null, notices.Enqueue, CancellationToken.None);
                Assert.Contains("stalled", notices.Single().Reason);
                Assert.Equal(await Http.GetByteArrayAsync(result.Images[0].Url), file.ToArray());
            }
            finally
            {
                _fake.Release();
            }
        }
    }
}
