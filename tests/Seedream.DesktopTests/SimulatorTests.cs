using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;
using Seedream.Simulator;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>The simulator on the desktop runtime: its handler under the module's client, its PNG and JPEG writers, its faults.</summary>
    public sealed class SimulatorTests
    {
        private static readonly SeedreamProvider Simulator = ModelCatalog.Providers.Single(p => p.IsSimulated);

        private static SeedreamClient Client(SimulatorSession? session = null) =>
            new SeedreamClient(new HttpClient(new SimulatorHandler(ModelCatalog.Shipped, Simulator, session) { EventSpacing = TimeSpan.FromMilliseconds(5) }),
                new ClientOptions { BaseUri = Simulator.BaseUri, RetryPolicy = new RetryPolicy(0), Timeout = TimeSpan.FromSeconds(60) });

        [Fact]
        public async Task A_streamed_base64_sequence_arrives_as_whole_jpeg_images_with_usage()
        {
            var request = new GenerationRequest { Model = "seedream-4-0-250828", Prompt = "a hill", MaxImages = 2, Stream = true, ResponseFormat = ResponseFormats.Base64Json, Size = "1K" };
            var arrived = new List<GeneratedImage>();
            GenerationResult result = await Client().GenerateAsync(request, new GenerationObserver { ImageReceived = arrived.Add }, CancellationToken.None);
            // A streamed image is handed over once, with its bytes; the result keeps only its slot.
            Assert.Equal(2, result.Images.Count);
            Assert.Equal(2, arrived.Count);
            foreach (GeneratedImage image in arrived)
            {
                Assert.True(ImageHeaderReader.TryRead(image.Bytes!, out ImageHeader header, out _));
                Assert.Equal(ImageFormat.Jpeg, header.Format);
                Assert.Equal(1024, header.Width);
                Assert.Null(ImageStructure.CheckComplete(image.Bytes.AsSpan(0, 64), image.Bytes.AsSpan(image.Bytes!.Length - 64), image.Bytes.Length));
            }

            Assert.Equal(2 * 1024 * 1024 / 256, result.Usage!.OutputTokens);
        }

        [Fact]
        public async Task A_png_url_downloads_through_the_simulator()
        {
            var handler = new SimulatorHandler(ModelCatalog.Shipped, Simulator);
            var client = new SeedreamClient(new HttpClient(handler), new ClientOptions { BaseUri = Simulator.BaseUri, RetryPolicy = new RetryPolicy(0) });
            var request = new GenerationRequest { Model = "seedream-5-5-261028", Prompt = "a kite", SequenceField = false, OutputFormat = "png", Size = "1280x720" };
            GenerationResult result = await client.GenerateAsync(request, null, CancellationToken.None);
            using (var file = new MemoryStream())
            {
                await new ImageDownloader(new HttpClient(handler), new RetryPolicy(0)).DownloadAsync(new Uri(result.Images[0].Url!), file, null, null, CancellationToken.None);
                Assert.True(ImageHeaderReader.TryRead(file.ToArray(), out ImageHeader header, out _));
                Assert.Equal(ImageFormat.Png, header.Format);
                Assert.Equal(720, header.Height);
            }
        }

        [Fact]
        public async Task A_cut_stream_and_a_rate_limit_end_as_from_a_server()
        {
            var request = new GenerationRequest { Model = "seedream-4-0-250828", Prompt = "a hill", MaxImages = 3, Stream = true };
            SeedreamStreamException cut = await Assert.ThrowsAsync<SeedreamStreamException>(() => Client(new SimulatorSession(SimulatedFault.CutStream)).GenerateAsync(request, null, CancellationToken.None));
            Assert.Equal(1, cut.ImagesReceived);
            SeedreamApiException limited = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(new SimulatorSession(SimulatedFault.RateLimit)).GenerateAsync(request, null, CancellationToken.None));
            Assert.Equal(429, limited.StatusCode);
        }
    }
}
