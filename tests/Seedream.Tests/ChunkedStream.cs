namespace Seedream.Tests;

/// <summary>Hands out its bytes a few at a time (1..max per read, varied by seed), as a slow network would.</summary>
internal sealed class ChunkedStream(byte[] data, int maxBytesPerRead, int seed = 0) : ReadOnlyTestStream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int limit = maxBytesPerRead == int.MaxValue ? count : _random.Next(1, maxBytesPerRead + 1);
        int n = Math.Min(Math.Min(count, limit), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(buffer, offset, count));
    }
}
