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

    /// <summary>An event read to its end: its name (final only then) and its data as text.</summary>
    internal sealed record ReadEvent(string? Name, string Data);

    internal static async Task<ReadEvent?> ReadEventAsync(ServerSentEventReader reader, CancellationToken cancellationToken = default)
    {
        ServerSentEvent? e = await reader.ReadAsync(cancellationToken);
        if (e is null)
        {
            return null;
        }

        var data = new MemoryStream();
        await e.Data.CopyToAsync(data, cancellationToken);
        return new ReadEvent(e.Name, Encoding.UTF8.GetString(data.ToArray()));
    }

    private static async Task<List<ReadEvent>> ReadAll(string text)
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), TimeSpan.FromSeconds(5));
        var events = new List<ReadEvent>();
        while (await ReadEventAsync(reader) is { } e)
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
        ReadEvent? first = await ReadEventAsync(reader);
        Assert.Equal("1", first!.Data);

        Task<ReadEvent?> second = ReadEventAsync(reader);
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
        Assert.Equal("{\"prompt\":\"café 夜\"}", (await ReadEventAsync(reader))!.Data);
    }

    [Fact]
    public async Task AnIdleStream_TimesOut()
    {
        var stream = new FedStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromMilliseconds(200));
        stream.Feed("data: 1\n\n");
        Assert.NotNull(await ReadEventAsync(reader));
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
    public async Task AnIdleStream_TimesOutInsideAnEventsData()
    {
        var stream = new FedStream();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromMilliseconds(200));
        stream.Feed("data: {\"b64_json\":\"QUJD");
        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => e!.Data.CopyToAsync(Stream.Null));
        Assert.Contains("sent nothing", error.Message);
    }

    [Fact]
    public async Task Events_WithDoneMarkerCrLfMultiLineDataAndALateEventName()
    {
        List<ReadEvent> events = await ReadAll(
            "event: a\r\ndata: {\"x\":\"é\"}\r\n\r\n" +
            "data: line one\ndata:line two\r\n: comment between\nid: 7\ndata\ndata: \r\nevent: late\n\n" +
            ": keep-alive\n\nevent: no data\n\n" +
            "data:\r\r\n\n" + // a lone CR ends a line too: "data:", then a blank line (CRLF), then another (LF)
            "data: [DONE]\n\n");

        Assert.Equal(
            [new ReadEvent("a", "{\"x\":\"é\"}"), new ReadEvent("late", "line one\nline two\n\n"), new ReadEvent(null, ""), new ReadEvent(null, "[DONE]")],
            events);
    }

    [Fact]
    public async Task UnreadData_IsSkippedWhenTheNextEventIsRead()
    {
        var reader = new ServerSentEventReader(new MemoryStream(Encoding.UTF8.GetBytes("data: one\ndata: more\n\nevent: b\ndata: two\n\n")), TimeSpan.FromSeconds(5));
        ServerSentEvent? first = await reader.ReadAsync(CancellationToken.None);
        byte[] part = new byte[2];
        Assert.Equal(2, await first!.Data.ReadAsync(part));

        Assert.Equal(new ReadEvent("b", "two"), await ReadEventAsync(reader));
        Assert.Equal(0, await first.Data.ReadAsync(part)); // the earlier event's data is gone
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task LargeEvent_ArrivingInSmallPieces_IsDecodedWithoutItsBase64EverBeingHeld()
    {
        byte[] image = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(image);
        string json = "{\"type\":\"image_generation.partial_succeeded\",\"image_index\":2,\"b64_json\":\"" + Convert.ToBase64String(image) + "\",\"size\":\"4096x4096\"}";
        var stream = new FedStream();
        byte[] wire = Encoding.UTF8.GetBytes("event: image_generation.partial_succeeded\ndata: " + json + "\n\n");
        for (int offset = 0; offset < wire.Length; offset += 50_000)
        {
            stream.Feed(wire.AsSpan(offset, Math.Min(50_000, wire.Length - offset)).ToArray());
        }

        stream.End();
        var reader = new ServerSentEventReader(stream, TimeSpan.FromSeconds(30));

        ServerSentEvent? e = await reader.ReadAsync(CancellationToken.None);
        var parser = new IncrementalJsonReader(e!.Data, 16 * 1024);
        GenerationEventData? data = await GenerationBodyReader.ReadEventAsync(parser, CancellationToken.None);

        Assert.Equal(image, data!.Image.Bytes);
        Assert.Equal(2, data.ImageIndex);
        Assert.Equal("4096x4096", data.Image.Size);
        Assert.Equal("image_generation.partial_succeeded", e.Name);
        // Both buffers the 4 MB of base64 passed through kept their starting 16 KB.
        Assert.Equal(16 * 1024, reader.BufferSize);
        Assert.Equal(16 * 1024, parser.BufferSize);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }
}
