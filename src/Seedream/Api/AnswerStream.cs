using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// A response body as the readers see it: at most <c>maxBytes</c> (counted after decompression, so a gzip bomb
    /// stops at the bound) and never silent for longer than the idle time-out. Each read goes through
    /// <see cref="BodyRead"/>, so a stop (the caller's token, or the idle timer) always ends it, even on runtimes whose
    /// streams ignore tokens. Past the bound it raises <see cref="AnswerTooLargeException"/>; when the idle timer ends a
    /// read, <see cref="TimeoutException"/>.
    /// </summary>
    internal sealed class AnswerStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _maxBytes;
        private readonly TimeSpan _idleTimeout;
        private readonly string _what;
        private CancellationTokenSource? _idle;
        private long _read;

        /// <param name="inner">The body as HttpClient hands it over (already decompressed).</param>
        /// <param name="maxBytes">The most bytes read before <see cref="AnswerTooLargeException"/>.</param>
        /// <param name="idleTimeout">The longest one read may wait for a byte; infinite for none.</param>
        /// <param name="what">What the body is, for messages ("the answer", "the download").</param>
        public AnswerStream(Stream inner, long maxBytes, TimeSpan idleTimeout, string what)
        {
            _inner = inner;
            _maxBytes = maxBytes;
            _idleTimeout = idleTimeout;
            _what = what;
        }

        /// <summary>Bytes read so far.</summary>
        public long BytesRead => _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int read;
            if (_idleTimeout == Timeout.InfiniteTimeSpan || _idleTimeout <= TimeSpan.Zero)
            {
                read = await BodyRead.ReadAsync(_inner, buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (_idle is null || _idle.IsCancellationRequested)
                {
                    _idle?.Dispose();
                    _idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }

                // One timer for the whole body, set again before each read: it fires only when a single read waits too long.
                _idle.CancelAfter(_idleTimeout);
                try
                {
                    read = await BodyRead.ReadAsync(_inner, buffer, offset, count, _idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"{Capitalized(_what)} sent nothing for {_idleTimeout.TotalSeconds:0.#} s.", ex);
                }

                _idle.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            _read += read;
            if (_read > _maxBytes)
            {
                throw new AnswerTooLargeException($"{Capitalized(_what)} is larger than {_maxBytes:N0} bytes, the most the module reads.");
            }

            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _idle?.Dispose();
            }

            base.Dispose(disposing);
        }

        private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }

    /// <summary>An answer, or one value in it, is larger than the module holds; the message says which bound.</summary>
    internal sealed class AnswerTooLargeException : Exception
    {
        public AnswerTooLargeException(string message)
            : base(message)
        {
        }
    }
}
