namespace Seedream.Tests;

/// <summary>
/// Passes requests on to the fake API, then hands back the chosen answers with a body that behaves like
/// .NET Framework's HttpClientHandler stream: its reads ignore the cancellation token. The body gives its first
/// <see cref="PassBytes"/> bytes, then stalls until the stream is disposed.
/// </summary>
internal sealed class StallingBodyHandler(Func<HttpRequestMessage, HttpResponseMessage, bool> stalls, int passBytes = 0)
    : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
{
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int PassBytes { get; } = passBytes;

    private int _stoppedByDispose;

    /// <summary>Completes once a read has begun to stall.</summary>
    public Task Stalled => _stalled.Task;

    /// <summary>True once a stalled read was ended by disposing its stream (the only way to end it).</summary>
    public bool StoppedByDispose => Volatile.Read(ref _stoppedByDispose) == 1;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (!stalls(request, response))
        {
            return response;
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var content = new StreamContent(new StallingStream(body, PassBytes, _stalled, () => Volatile.Write(ref _stoppedByDispose, 1)));
        foreach (KeyValuePair<string, IEnumerable<string>> header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = content;
        return response;
    }

    private sealed class StallingStream(byte[] body, int passBytes, TaskCompletionSource stalled, Action stoppedByDispose) : ReadOnlyTestStream
    {
        /// <summary>Only so a test of unfixed code ends instead of hanging; it fails with this exception.</summary>
        private static readonly TimeSpan SafetyLimit = TimeSpan.FromSeconds(30);

        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ignored) =>
            ReadCoreAsync(buffer.AsMemory(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ignored = default) =>
            new(ReadCoreAsync(buffer));

        private async Task<int> ReadCoreAsync(Memory<byte> buffer)
        {
            int available = Math.Min(passBytes, body.Length) - _position;
            if (available > 0)
            {
                int n = Math.Min(available, buffer.Length);
                body.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            // Stalled: like a .NET Framework response stream, the token is not looked at; only Dispose ends the read.
            stalled.TrySetResult();
            Task first = await Task.WhenAny(_disposed.Task, Task.Delay(SafetyLimit));
            if (first == _disposed.Task)
            {
                stoppedByDispose();
                throw new IOException("Unable to read data from the transport connection: the stream was closed.");
            }

            throw new TimeoutException("Test safety limit: the stalled read was never stopped.");
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }

    }
}

/// <summary>Fails every request with the exception it is given, counting the attempts; nothing reaches a network.</summary>
internal sealed class ThrowingHandler(Func<Exception> failure) : HttpMessageHandler
{
    private int _calls;

    public int Calls => _calls;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromException<HttpResponseMessage>(failure());
    }
}
