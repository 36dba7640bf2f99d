using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>
    /// The incremental readers on the desktop runtime, where System.Memory and System.Text.Json are the netstandard2.0
    /// builds the module ships (their Base64 and Utf8JsonReader differ in places from .NET's own).
    /// </summary>
    public sealed class ReaderTests
    {
        private static byte[] Image(int length, int salt) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + salt)).ToArray();

        private static async Task<GenerationResult> ReadAsync(string body, int maxBytesPerRead, int seed = 0)
        {
            var result = new GenerationResult();
            await GenerationBodyReader.ReadAsync(new ChunkedStream(Encoding.UTF8.GetBytes(body), maxBytesPerRead, seed), result, CancellationToken.None);
            return result;
        }

        [Theory]
        [InlineData(1, 1)]
        [InlineData(2, 7)]
        [InlineData(3, 1000)]
        [InlineData(200_000, 5)]
        [InlineData(200_001, 65536)]
        [InlineData(200_002, 1 << 20)]
        public async Task Base64_DecodesToTheOriginalBytes_WhateverTheChunks(int length, int maxBytesPerRead)
        {
            byte[] a = Image(length, 1), b = Image(length + 1, 2);
            string body = $"{{\"model\":\"m\",\"created\":1,\"data\":[{{\"b64_json\":\"{Convert.ToBase64String(a)}\",\"size\":\"1x1\"}},{{\"b64_json\":\"{Convert.ToBase64String(b)}\"}}]}}";
            GenerationResult result = await ReadAsync(body, maxBytesPerRead, seed: length);
            Assert.Equal(a, result.Images[0].Bytes);
            Assert.Equal(b, result.Images[1].Bytes);
        }

        [Theory]
        [InlineData("QUJD\\u002B\\/w=", new byte[] { 0x41, 0x42, 0x43, 0xFB, 0xFC })]
        [InlineData("", new byte[0])]
        public async Task Base64_WithEscapesOrEmpty(string text, byte[] expected)
        {
            GenerationResult result = await ReadAsync($"{{\"data\":[{{\"b64_json\":\"{text}\"}}]}}", 2);
            Assert.Equal(expected, result.Images[0].Bytes);
        }

        [Theory]
        [InlineData("QUJ")]
        [InlineData("QU=D")]
        [InlineData("QUJD QUJD")]
        public async Task InvalidBase64_IsAFormatError(string text)
        {
            await Assert.ThrowsAsync<FormatException>(() => ReadAsync($"{{\"data\":[{{\"b64_json\":\"{text}\"}}]}}", 3));
        }

        [Fact]
        public async Task StreamEvents_WithBase64_AreDecoded()
        {
            byte[] image = Image(70_000, 3);
            string events =
                "event: image_generation.partial_succeeded\n" +
                $"data: {{\"type\":\"image_generation.partial_succeeded\",\"image_index\":0,\"b64_json\":\"{Convert.ToBase64String(image)}\",\"size\":\"1x1\"}}\n\n" +
                "data: [DONE]\n\n";
            var reader = new ServerSentEventReader(new ChunkedStream(Encoding.UTF8.GetBytes(events), 4096), TimeSpan.FromSeconds(30));
            ServerSentEvent? first = await reader.ReadAsync(CancellationToken.None);
            GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(first!.Data, CancellationToken.None);
            Assert.Equal(image, data!.Image.Bytes);
            ServerSentEvent? done = await reader.ReadAsync(CancellationToken.None);
            Assert.Null(await GenerationBodyReader.ReadEventAsync(done!.Data, CancellationToken.None));
            Assert.Null(await reader.ReadAsync(CancellationToken.None));
        }
    }
}
