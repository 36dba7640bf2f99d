using System.Net;
using System.Text;
using System.Text.Json;
using Seedream.Api;
using Seedream.FakeApi;
using Seedream.Imaging;

namespace Seedream.Tests;

/// <summary>The request body written straight to the connection: files read and encoded as they are sent, again for a retry.</summary>
public sealed class StreamedBodyTests : FakeServerTests, IDisposable
{
    private const string BodyKey = "sk-streamed-body-key";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedream-body-" + Guid.NewGuid().ToString("N"));

    public StreamedBodyTests()
        : base(BodyKey) => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SeedreamClient Client(HttpClient? http = null, int maxRetries = 2) =>
        new(http ?? Http, new ClientOptions
        {
            BaseUri = Server.ApiV1,
            ApiKey = BodyKey,
            RetryPolicy = new RetryPolicy(maxRetries) { InitialDelay = TimeSpan.FromMilliseconds(10) },
            Timeout = TimeSpan.FromSeconds(60),
        });

    /// <summary>A PNG file of about <paramref name="padding"/> bytes more than its pixels need.</summary>
    private string PngFile(string name, int padding = 0)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, PngEncoder.Encode(64, 48, paddingBytes: padding));
        return path;
    }

    private static GenerationRequest Edit(params ReferenceImage[] references) => new()
    {
        Model = "seedream-4-5-251128",
        Prompt = "make it night",
        Images = references.Select(r => r.Wire).ToArray(),
    };

    private static byte[] Decoded(JsonElement body, int index)
    {
        string value = body.GetProperty("image")[index].GetString()!;
        Assert.StartsWith("data:image/png;base64,", value);
        return Convert.FromBase64String(value.Substring("data:image/png;base64,".Length));
    }

    [Fact]
    public async Task A_file_reference_goes_out_as_its_data_uri_with_an_exact_content_length()
    {
        string path = PngFile("ref.png", padding: 300_000);
        var lengths = new LengthRecorder(new SocketsHttpHandler { UseProxy = false });
        using var http = new HttpClient(lengths);
        GenerationRequest request = Edit(ReferenceImage.FromFile(path), ReferenceImage.FromUrl("https://img.example/b.png"));

        GenerationResult result = await Client(http).GenerateAsync(request, null, CancellationToken.None);

        Assert.Single(result.Images);
        JsonElement body = Server.Requests.Single(r => r.Target == "generate").Body!.Value;
        Assert.Equal(File.ReadAllBytes(path), Decoded(body, 0));
        Assert.Equal("https://img.example/b.png", body.GetProperty("image")[1].GetString());
        Assert.Equal(RequestBodyWriter.ToUtf8Json(request).LongLength, Assert.Single(lengths.Lengths));
        Assert.Equal(Encoding.UTF8.GetByteCount(body.GetRawText()), lengths.Lengths[0]);
    }

    [Fact]
    public void The_body_is_escaped_only_where_json_must_be()
    {
        // 0xFB 0xEF 0xBE encodes as "++++": the default encoder would write each '+' as \u002B.
        byte[] bytes = Enumerable.Repeat(new byte[] { 0xFB, 0xEF, 0xBE }, 20_000).SelectMany(b => b).ToArray();
        var request = new GenerationRequest
        {
            Model = "m",
            Prompt = "夜の灯台 \"quoted\" \\ back",
            Images = [RequestImage.FromBytes(bytes, "png"), RequestImage.FromText("data:image/png;base64," + Convert.ToBase64String(bytes))],
        };

        byte[] wire = RequestBodyWriter.ToUtf8Json(request);
        string text = Encoding.UTF8.GetString(wire);

        Assert.DoesNotContain("\\u", text);
        Assert.Contains("夜の灯台 \\\"quoted\\\" \\\\ back", text);
        Assert.Contains("\"data:image/png;base64,++++++++", text);
        Assert.Equal(RequestBodyWriter.Create(request).Length, wire.LongLength);
        using JsonDocument parsed = JsonDocument.Parse(wire);
        Assert.Equal(request.Prompt, parsed.RootElement.GetProperty("prompt").GetString());
        Assert.Equal(bytes, Convert.FromBase64String(parsed.RootElement.GetProperty("image")[0].GetString()!.Substring(22)));
        Assert.Equal(parsed.RootElement.GetProperty("image")[0].GetString(), parsed.RootElement.GetProperty("image")[1].GetString());
    }

    [Fact]
    public async Task A_retry_after_a_503_sends_the_same_bytes_again_reading_the_file_again()
    {
        string path = PngFile("retry.png", padding: 200_000);
        Server.AddFaults(new FaultRule { Status = 503, Code = "ServiceUnavailable", Times = 1 });

        GenerationResult result = await Client().GenerateAsync(Edit(ReferenceImage.FromFile(path)), null, CancellationToken.None);

        Assert.Equal(2, result.Attempts);
        RecordedRequest[] sent = Server.Requests.Where(r => r.Target == "generate").ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal(sent[0].Body!.Value.GetRawText(), sent[1].Body!.Value.GetRawText());
        Assert.Equal(File.ReadAllBytes(path), Decoded(sent[1].Body!.Value, 0));
    }

    [Fact]
    public async Task A_file_changed_between_two_attempts_stops_the_request_before_the_second_is_sent()
    {
        string path = PngFile("changing.png", padding: 10_000);
        ReferenceImage reference = ReferenceImage.FromFile(path);
        Server.AddFaults(new FaultRule { Status = 503, Code = "ServiceUnavailable", Times = 1 });
        var observer = new GenerationObserver
        {
            // Between the attempts the file is rewritten: another image of another length.
            Retrying = _ => File.WriteAllBytes(path, PngEncoder.Encode(64, 48, paddingBytes: 20_000)),
        };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Client().GenerateAsync(Edit(reference), observer, CancellationToken.None));

        Assert.Contains("'changing.png'", error.Message);
        Assert.Contains("changed after it was checked", error.Message);
        Assert.DoesNotContain(_folder, error.Message);
        Assert.Single(Server.Requests, r => r.Target == "generate");
    }

    [Fact]
    public async Task A_file_changed_after_its_check_is_not_sent_at_all()
    {
        string path = PngFile("touched.png");
        ReferenceImage reference = ReferenceImage.FromFile(path);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(-5));

        await Assert.ThrowsAsync<InvalidDataException>(() => Client().GenerateAsync(Edit(reference), null, CancellationToken.None));

        Assert.DoesNotContain(Server.Requests, r => r.Target == "generate");
    }

    [Fact]
    public async Task Cancelling_mid_upload_stops_the_writing_at_once()
    {
        string path = PngFile("large.png", padding: 4_000_000);
        using var stop = new CancellationTokenSource();
        var upload = new UploadHandler(cancelAfterBytes: 200_000, stop);
        using var http = new HttpClient(upload);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(http).GenerateAsync(Edit(ReferenceImage.FromFile(path)), null, stop.Token));

        // The stream ignores the token (as .NET Framework's do): the body itself stops within one more chunk.
        Assert.True(upload.WrittenAfterCancel <= 2 * 64 * 1024, $"{upload.WrittenAfterCancel:N0} bytes were written after the cancellation");
        Assert.True(upload.Written < 1_000_000);
    }

    [Fact]
    public void Debug_shows_a_file_reference_shortened_to_its_start_and_length()
    {
        string path = PngFile("shown.png", padding: 100_000);
        byte[] bytes = File.ReadAllBytes(path);
        string wire = "data:image/png;base64," + Convert.ToBase64String(bytes);

        string display = RequestBodyWriter.ToDisplayJson(Edit(ReferenceImage.FromFile(path)));

        Assert.Contains(wire.Substring(0, 48) + $"...({wire.Length:N0} chars)", display);
        Assert.DoesNotContain(wire.Substring(48, 100), display);
        Assert.True(display.Length < 1000);
    }

    [Fact]
    public void A_data_uri_is_checked_and_hashed_without_a_copy_of_its_payload()
    {
        byte[] bytes = PngEncoder.Encode(40, 30, paddingBytes: 50_000);
        string dataUri = "data:image/png;base64," + Convert.ToBase64String(bytes);

        ReferenceImage reference = ReferenceImage.FromDataUri(dataUri);

        Assert.Equal(Sha256Hash.Hex(bytes), reference.Reference.Sha256);
        Assert.Equal(bytes.Length, reference.Facts.Bytes);
        Assert.Equal((40, 30), (reference.Facts.Width, reference.Facts.Height));
        Assert.Equal(dataUri, JsonDocument.Parse(RequestBodyWriter.ToUtf8Json(Edit(reference))).RootElement.GetProperty("image")[0].GetString());
    }

    /// <summary>Passes requests on, noting each one's Content-Length as the client reported it.</summary>
    private sealed class LengthRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<long?> Lengths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Lengths.Add(request.Content?.Headers.ContentLength);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Takes the body into a stream that ignores tokens, cancelling the call once enough has arrived.</summary>
    private sealed class UploadHandler(long cancelAfterBytes, CancellationTokenSource stop) : HttpMessageHandler
    {
        public long CancelAfterBytes => cancelAfterBytes;

        public CancellationTokenSource Stop => stop;

        public long Written { get; private set; }

        public long WrittenAfterCancel { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(new CountingStream(this));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }

        private sealed class CountingStream(UploadHandler owner) : Stream
        {
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => owner.Written;
            public override long Position { get => owner.Written; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (owner.Stop.IsCancellationRequested)
                {
                    owner.WrittenAfterCancel += count;
                }

                owner.Written += count;
                if (owner.Written >= owner.CancelAfterBytes)
                {
                    owner.Stop.Cancel();
                }
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ignored)
            {
                Write(buffer, offset, count);
                return Task.CompletedTask;
            }
        }
    }
}
