using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.DesktopTests
{
    /// <summary>Hands out its bytes 1..max at a time (varied by seed), as a slow network would; not seekable.</summary>
    internal sealed class ChunkedStream : Stream
    {
        private readonly byte[] _data;
        private readonly int _maxBytesPerRead;
        private readonly Random _random;
        private int _position;

        public ChunkedStream(byte[] data, int maxBytesPerRead, int seed = 0)
        {
            _data = data;
            _maxBytesPerRead = maxBytesPerRead;
            _random = new Random(seed);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int limit = _random.Next(1, _maxBytesPerRead + 1);
            int n = Math.Min(Math.Min(count, limit), _data.Length - _position);
            Array.Copy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(Read(buffer, offset, count));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
