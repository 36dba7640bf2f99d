using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Seedream.Imaging;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>
    /// The API client on the desktop runtime, over real HTTP to the fake, through the HttpClient the module builds for
    /// Windows PowerShell (HttpClientCache picks HttpClientHandler there, and here on Mono).
    /// </summary>
    public sealed class ClientTests : IClassFixture<FakeApi>
    {
        private readonly FakeApi _fake;

        public ClientTests(FakeApi fake)
        {
            _fake = fake;
            _fake.Reset();
        }

        internal static HttpClient Http => HttpClientCache.Get(new ConnectionSettings());

        private SeedreamClient Client(int maxRetries = 2, double timeoutSec = 60, double idleSec = 60) =>
            new SeedreamClient(Http, new ClientOptions
            {
                BaseUri = _fake.ApiV1,
                ApiKey = FakeApi.Key,
                RetryPolicy = new RetryPolicy(maxRetries) { InitialDelay = TimeSpan.FromMilliseconds(10) },
                Timeout = TimeSpan.FromSeconds(timeoutSec),
                StreamIdleTimeout = TimeSpan.FromSeconds(idleSec),
            });

        internal static GenerationRequest Request(int? maxImages = null, bool stream = false, string format = ResponseFormats.Url) => new GenerationRequest
        {
            Model = "seedream-4-0-250828",
            Prompt = "a lighthouse",
            Size = "1024x1024",
            MaxImages = maxImages,
            Stream = stream,
            ResponseFormat = format,
        };

        [Fact]
        public void TheHandler_IsTheDesktopOne()
        {
            // What Windows PowerShell gets: HttpClientHandler with more than .NET Framework's two connections per host.
            HttpMessageHandler handler = HttpClientCache.CreateHandler(new ConnectionSettings());
            var clientHandler = Assert.IsType<HttpClientHandler>(handler);
            Assert.Equal(HttpClientCache.MaxConnectionsPerServer, clientHandler.MaxConnectionsPerServer);
            handler.Dispose();
        }

        [Fact]
        public async Task UrlAnswer_Downloads_AsTheImageItNames()
        {
            GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            GeneratedImage image = Assert.Single(result.Images);
            var file = new MemoryStream();
            await new ImageDownloader(Http).DownloadAsync(new Uri(image.Url!), file, null, null, CancellationToken.None);
            Assert.True(ImageHeaderReader.TryRead(file.ToArray(), out ImageHeader header, out string? error), error);
            Assert.Equal("1024x1024", $"{header.Width}x{header.Height}");
        }

        [Theory]
        [InlineData(1, 0)]
        [InlineData(3, 0)]
        [InlineData(2, 300_000)] // each image several of the decoder's 64 KB chunks
        public async Task Base64Answer_IsDecoded_ToTheSameBytesTheUrlServes(int images, int padding)
        {
            _fake.UpdateSettings($"{{\"imagePaddingBytes\":{padding}}}");
            GenerationResult base64 = await Client().GenerateAsync(Request(maxImages: images, format: ResponseFormats.Base64Json), null, CancellationToken.None);
            GenerationResult url = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            byte[] served = await Http.GetByteArrayAsync(url.Images[0].Url);

            Assert.Equal(images, base64.Images.Count);
            Assert.All(base64.Images, image => Assert.Equal(served, image.Bytes));
        }

        [Fact]
        public async Task StreamedBase64_IsDecoded_EventByEvent()
        {
            _fake.UpdateSettings("{\"imagePaddingBytes\":100000}");
            var received = new ConcurrentQueue<GeneratedImage>();
            GenerationResult result = await Client().GenerateAsync(
                Request(maxImages: 3, stream: true, format: ResponseFormats.Base64Json), new GenerationObserver { ImageReceived = received.Enqueue }, CancellationToken.None);
            GenerationResult url = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            byte[] served = await Http.GetByteArrayAsync(url.Images[0].Url);

            Assert.Equal(new[] { 0, 1, 2 }, received.Select(i => i.Index));
            Assert.All(received, image => Assert.Equal(served, image.Bytes));
            Assert.All(result.Images, image => Assert.Null(image.Bytes)); // handed over once, not kept
            Assert.Equal(3, result.Usage!.GeneratedImages);
        }

        [Fact]
        public async Task StreamedUrls_Arrive_WithTheirIndexes()
        {
            GenerationResult result = await Client().GenerateAsync(Request(maxImages: 2, stream: true), null, CancellationToken.None);
            Assert.Equal(new[] { 0, 1 }, result.Images.Select(i => i.Index));
            Assert.All(result.Images, i => Assert.StartsWith(_fake.Root.AbsoluteUri, i.Url));
        }

        [Fact]
        public async Task ServerErrors_AreRetried_WithTheServersHint()
        {
            _fake.AddFaults("[{\"status\":503,\"retryAfterMs\":20},{\"status\":429,\"retryAfter\":\"0\"}]");
            var notices = new ConcurrentQueue<RetryNotice>();
            GenerationResult result = await Client().GenerateAsync(Request(), new GenerationObserver { Retrying = notices.Enqueue }, CancellationToken.None);
            Assert.Equal(3, result.Attempts);
            Assert.Equal(TimeSpan.FromMilliseconds(20), notices.First().Delay);
            Assert.Equal(3, _fake.Requests("generate").Length);
        }

        [Fact]
        public async Task GivingUp_TellsTheCodeAndTheAttempts()
        {
            _fake.AddFaults("{\"status\":503,\"retryAfterMs\":1,\"times\":2}");
            var error = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(maxRetries: 1).GenerateAsync(Request(), null, CancellationToken.None));
            Assert.Equal(503, error.StatusCode);
            Assert.Equal(2, error.Attempts);
            Assert.Equal(_fake.Requests("generate").Last().GetProperty("id").GetString(), error.RequestId);
        }

        [Fact]
        public async Task SlowServer_TimesOut()
        {
            _fake.AddFaults("{\"delayMs\":20000}");
            var error = await Assert.ThrowsAsync<SeedreamTimeoutException>(() => Client(timeoutSec: 1).GenerateAsync(Request(), null, CancellationToken.None));
            Assert.Equal(1, error.Attempts);
        }

        [Fact]
        public async Task Cancellation_WhileWaitingForTheAnswer_IsACancellation()
        {
            _fake.AddFaults("{\"delayMs\":20000}");
            using var cancel = new CancellationTokenSource();
            Task call = Client().GenerateAsync(Request(), null, cancel.Token);
            await WaitForRequestAsync("generate");
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        [Fact]
        public async Task Cancellation_OfAHeldStream_IsACancellation()
        {
            _fake.AddFaults("{\"holdAfterEvents\":1}");
            using var cancel = new CancellationTokenSource();
            var first = new TaskCompletionSource<bool>();
            Task call = Client().GenerateAsync(Request(maxImages: 2, stream: true), new GenerationObserver { ImageReceived = _ => first.TrySetResult(true) }, cancel.Token);
            await first.Task;
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            _fake.Release();
        }

        [Fact]
        public async Task HeldStream_EndsAtTheIdleTimeout_KeepingWhatArrived()
        {
            _fake.AddFaults("{\"holdAfterEvents\":1}");
            try
            {
                var error = await Assert.ThrowsAsync<SeedreamStreamException>(() => Client(idleSec: 1).GenerateAsync(Request(maxImages: 2, stream: true), null, CancellationToken.None));
                Assert.True(error.IdleTimedOut);
                Assert.Equal(1, error.ImagesReceived);
            }
            finally
            {
                _fake.Release();
            }
        }

        [Fact]
        public async Task TruncatedBody_IsNotRepeated_AndMayBeBilled()
        {
            _fake.AddFaults("{\"truncate\":true}");
            var error = await Assert.ThrowsAsync<SeedreamTransportException>(() => Client().GenerateAsync(Request(format: ResponseFormats.Base64Json), null, CancellationToken.None));
            Assert.True(error.MayHaveBeenBilled);
            Assert.Single(_fake.Requests("generate"));
        }

        [Fact]
        public async Task Download_BrokenOff_IsRetried_FromAnEmptyFile()
        {
            GenerationResult result = await Client().GenerateAsync(Request(), null, CancellationToken.None);
            _fake.AddFaults("{\"target\":\"download\",\"truncate\":true}");
            var file = new MemoryStream();
            await new ImageDownloader(Http, new RetryPolicy(2) { InitialDelay = TimeSpan.FromMilliseconds(1) })
                .DownloadAsync(new Uri(result.Images[0].Url!), file, null, null, CancellationToken.None);
            Assert.Equal(await Http.GetByteArrayAsync(result.Images[0].Url), file.ToArray());
        }

        private async Task WaitForRequestAsync(string target)
        {
            for (int i = 0; i < 3000 && _fake.Requests(target).Length == 0; i++)
            {
                await Task.Delay(10);
            }
        }
    }
}
