using System.Text;
using System.Threading.Channels;
using Seedream.Api;

namespace Seedream.Tests;

public sealed class ServerSentEventReaderTests
{
    /// <summary>A stream fed by the test: each read waits for the next chunk, like a network stream.</summary>
    private sealed class FedStream : ReadOnlyTestStream
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
        private byte[] _current = [];
        private int _offset;

        public void Feed(string text) => _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(text));
        public void Feed(byte[] bytes) => _chunks.Writer.TryWrite(bytes);
        public void End() => _chunks.Writer.TryComplete();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_offset >= _current.Length)
            {
                if (!await _chunks.Reader.WaitToReadAsync(cancellationToken))
                {
                    return 0;
                }

                _current = await _chunks.Reader.ReadAsync(cancellationToken);
                _offset = 0;
            }

            int n = Math.Min(count, _current.Length - _offset);
            Array.Copy(_current, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async Task<List<ServerSentEvent>> ReadAll(string text)
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), TimeSpan.FromSeconds(5));
        var events = new List<ServerSentEvent>();
        while (await reader.ReadAsync(CancellationToken.None) is { } e)
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task ReadsNamesData_SkipsComments_JoinsDataLines()
    {
        var events = await ReadAll(": keep-alive\n\nevent: a\ndata: {\"x\":1}\n\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n");
        Assert.Equal(3, events.Count);
        Assert.Equal("a", events[0].Name);
        Assert.Equal("{\"x\":1}", events[0].Data);
        Assert.Null(events[1].Name);
        Assert.Equal("line1\nline2", events[1].Data);
        Assert.Equal("[DONE]", events[2].Data);
    }

    [Fact]
    public async Task AcceptsCrLf_AndALastEventWithoutBlankLine()
    {
        var events = await ReadAll("event: a\r\ndata: one\r\n\r\ndata:two");
        Assert.Equal(["one", "two"], events.Select(e => e.Data));
        Assert.Equal("a", events[0].Name);
    }

    [Fact]
    public async Task ReturnsEachEvent_BeforeTheNextHasArrived()
    {
        var stream = new FedStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromSeconds(30));
        stream.Feed("event: first\ndata: 1\n\n");
        ServerSentEvent? first = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("1", first!.Data);

        Task<ServerSentEvent?> second = reader.ReadAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        stream.Feed("data: 2\n");
        Assert.False(second.IsCompleted); // no blank line yet
        stream.Feed("\n");
        Assert.Equal("2", (await second)!.Data);
        stream.End();
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReassemblesLinesAndUtf8_SplitAcrossReads()
    {
        var stream = new FedStream();
        byte[] bytes = Encoding.UTF8.GetBytes("data: {\"prompt\":\"café 夜\"}\n\n");
        foreach (byte b in bytes)
        {
            stream.Feed([b]);
        }

        stream.End();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromSeconds(5));
        Assert.Equal("{\"prompt\":\"café 夜\"}", (await reader.ReadAsync(CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task AnIdleStream_TimesOut()
    {
        var stream = new FedStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromMilliseconds(200));
        stream.Feed("data: 1\n\n");
        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => reader.ReadAsync(CancellationToken.None));
        Assert.Contains("sent nothing", error.Message);
    }

    [Fact]
    public async Task Cancellation_IsNotATimeout()
    {
        var stream = new FedStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource();
        Task<ServerSentEvent?> read = reader.ReadAsync(cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task Events_KeepTheirDataAsUtf8_WithDoneMarkerCrLfAndMultiLineData()
    {
        List<ServerSentEvent> events = await ReadAll(
            "event: a\r\ndata: {\"x\":\"é\"}\r\n\r\n" +
            "data: line one\ndata:line two\n\n" +
            ": keep-alive\n\n" +
            "data: [DONE]\n\n");

        Assert.Equal(3, events.Count);
        Assert.Equal("a", events[0].Name);
        Assert.Equal("{\"x\":\"é\"}", Encoding.UTF8.GetString(events[0].Utf8Data.ToArray()));
        Assert.False(events[0].IsDone);
        Assert.Null(events[1].Name);
        Assert.Equal("line one\nline two", events[1].Data);
        Assert.True(events[2].IsDone);
    }

    [Fact]
    public async Task LargeEvent_ArrivingInSmallPieces_ParsesInPlaceAsJson()
    {
        byte[] image = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(image);
        string json = "{\"type\":\"image_generation.partial_succeeded\",\"image_index\":0,\"b64_json\":\"" + Convert.ToBase64String(image) + "\"}";
        var stream = new FedStream();
        byte[] wire = Encoding.UTF8.GetBytes("event: image_generation.partial_succeeded\ndata: " + json + "\n\n");
        for (int offset = 0; offset < wire.Length; offset += 50_000)
        {
            stream.Feed(wire.AsSpan(offset, Math.Min(50_000, wire.Length - offset)).ToArray());
        }

        stream.End();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromSeconds(30));

        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);

        Assert.NotNull(e);
        Assert.Equal(json.Length, e!.Utf8Data.Length);
        using var document = System.Text.Json.JsonDocument.Parse(e.Utf8Data);
        Assert.Equal(image, document.RootElement.GetProperty("b64_json").GetBytesFromBase64());
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }
}
