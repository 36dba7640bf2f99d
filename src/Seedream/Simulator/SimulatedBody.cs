using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Simulator
{
    /// <summary>
    /// The body of a simulated answer as the client reads it: parts made only when the reader reaches them (an event's
    /// image is drawn when its turn comes), with <see cref="Spacing"/> between parts as a server's events are spaced in
    /// time (a wait the reader's token, or disposing the body, cancels), and optionally broken off like a dropped
    /// connection: an <see cref="IOException"/> after some parts or bytes.
    /// </summary>
    internal sealed class SimulatedBody : Stream
    {
        public const string CutMessage = "The response ended prematurely: the simulator cut the connection (-SimulateFault CutStream).";

        private readonly IReadOnlyList<Func<byte[]>> _parts;
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private byte[]? _current;
        private int _offset;
        private int _next;
        private long _position;

        public SimulatedBody(IReadOnlyList<Func<byte[]>> parts) => _parts = parts;

        public SimulatedBody(byte[] whole) : this(new Func<byte[]>[] { () => whole })
        {
        }

        public TimeSpan Spacing { get; set; }

        /// <summary>Break off once this many parts were read whole; null: never.</summary>
        public int? CutAfterParts { get; set; }

        /// <summary>Break off once this many bytes were read; null: never.</summary>
        public long? CutAtByte { get; set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_disposed.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(SimulatedBody));
            }

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_current != null && _offset < _current.Length)
                {
                    int n = Math.Min(count, _current.Length - _offset);
                    if (CutAtByte is long cut)
                    {
                        if (_position >= cut)
                        {
                            throw new IOException(CutMessage);
                        }

                        n = (int)Math.Min(n, cut - _position);
                    }

                    Buffer.BlockCopy(_current, _offset, buffer, offset, n);
                    _offset += n;
                    _position += n;
                    return n;
                }

                if (CutAfterParts is int parts && _next >= parts)
                {
                    throw new IOException(CutMessage);
                }

                if (_next >= _parts.Count)
                {
                    return 0;
                }

                if (_next > 0 && Spacing > TimeSpan.Zero)
                {
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
                    await Task.Delay(Spacing, both.Token).ConfigureAwait(false);
                }

                _current = _parts[_next++]();
                _offset = 0;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed.IsCancellationRequested)
            {
                _disposed.Cancel();
            }

            base.Dispose(disposing);
        }
    }
}
