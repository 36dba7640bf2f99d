using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// One server-sent event. Its data (the data lines joined by newlines) is not collected: <see cref="Data"/> reads
    /// it straight from the network as the consumer asks for it, so a multi-megabyte b64_json event is parsed as it
    /// arrives and is never held whole.
    /// </summary>
    public sealed class ServerSentEvent
    {
        internal ServerSentEvent(ServerSentEventReader reader, string? name)
        {
            Name = name;
            Data = new ServerSentEventDataStream(reader, this);
        }

        /// <summary>
        /// The event's name (null for plain data events). An "event:" line may follow the data, so the name is final
        /// only once <see cref="Data"/> has been read to its end.
        /// </summary>
        public string? Name { get; internal set; }

        /// <summary>The event's data as UTF-8 bytes; it ends where the event ends. Readable until the next event is read.</summary>
        public Stream Data { get; }
    }

    /// <summary>
    /// Reads text/event-stream incrementally: each event is returned as soon as its first data line starts, and its
    /// data is then read from the same small buffer up to the blank line that ends it. Lines end with CR, LF or CRLF,
    /// as the format allows. Each network read may wait at most the idle time-out for bytes; cancellation disposes the stream.
    /// </summary>
    public sealed class ServerSentEventReader : IDisposable
    {
        /// <summary>Field names longer than this are neither "data" nor "event", so are not kept whole.</summary>
        private const int FieldNameLimit = 8;

        /// <summary>The longest event name kept; a longer one is no name the module knows (it is cut and marked).</summary>
        private const int EventNameLimit = 256;

        private readonly Stream _stream;
        private readonly TimeSpan _idleTimeout;
        private readonly byte[] _buffer;
        private readonly byte[] _fieldName = new byte[FieldNameLimit];
        private readonly MemoryStream _value = new MemoryStream(); // an event name: a few bytes
        private int _start;
        private int _end;
        private bool _endOfStream;
        private ServerSentEvent? _current;
        private DataState _state = DataState.Ended;
        private DataState _afterNewline = DataState.Value;
        private byte[]? _drain;

        /// <summary>The last line ended with CR: an LF right after it belongs to the same line break (CRLF).</summary>
        private bool _afterCr;

        public ServerSentEventReader(Stream stream, TimeSpan idleTimeout)
            : this(stream, idleTimeout, 16 * 1024)
        {
        }

        internal ServerSentEventReader(Stream stream, TimeSpan idleTimeout, int bufferSize)
        {
            _stream = stream;
            _idleTimeout = idleTimeout;
            _buffer = new byte[Math.Max(FieldNameLimit, bufferSize)];
        }

        /// <summary>Where the current event's data stands.</summary>
        private enum DataState
        {
            /// <summary>Inside a data line's value.</summary>
            Value,

            /// <summary>A data line ended: the next line may continue the data, rename the event, or end it.</summary>
            BetweenLines,

            /// <summary>Another data line follows: the newline that joins it comes first.</summary>
            Newline,

            /// <summary>The event ended (a blank line or the end of the stream).</summary>
            Ended,
        }

        /// <summary>What a line is, from its field name.</summary>
        private enum LineKind
        {
            EndOfStream,
            Blank,
            Data,
            Event,
            Other,
        }

        /// <summary>The buffer the event data passes through (for tests of the memory bound); it never grows.</summary>
        internal int BufferSize => _buffer.Length;

        /// <summary>
        /// The next event, or null at the end of the stream. Whatever is left unread of the previous event's data is
        /// skipped first. Events without data lines are ignored, as are comments and unknown fields.
        /// </summary>
        public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
        {
            await SkipRestOfEventAsync(cancellationToken).ConfigureAwait(false);
            _current = null;
            string? name = null;
            while (true)
            {
                (LineKind kind, bool lineEnded) = await ReadFieldNameAsync(cancellationToken).ConfigureAwait(false);
                switch (kind)
                {
                    case LineKind.EndOfStream:
                        return null;
                    case LineKind.Blank:
                        name = null; // an event without data: nothing to dispatch
                        break;
                    case LineKind.Event:
                        name = await ReadValueAsync(lineEnded, cancellationToken).ConfigureAwait(false);
                        break;
                    case LineKind.Data:
                        _state = lineEnded ? DataState.BetweenLines : DataState.Value;
                        if (!lineEnded)
                        {
                            await SkipOneSpaceAsync(cancellationToken).ConfigureAwait(false);
                        }

                        _current = new ServerSentEvent(this, name);
                        return _current;
                    default:
                        await SkipLineAsync(lineEnded, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        /// <summary>Gives the value buffer back to the pool.</summary>
        public void Dispose() => _value.Dispose();

        /// <summary>Reads the data of <paramref name="owner"/>; 0 at its end, or once a later event has been read.</summary>
        internal async Task<int> ReadDataAsync(ServerSentEvent owner, byte[] destination, int offset, int count, CancellationToken cancellationToken)
        {
            if (!ReferenceEquals(owner, _current) || count == 0)
            {
                return 0;
            }

            while (true)
            {
                switch (_state)
                {
                    case DataState.Value:
                        int copied = CopyValue(destination, offset, count);
                        if (copied > 0)
                        {
                            return copied;
                        }

                        if (_state == DataState.Value && !await FillAsync(cancellationToken).ConfigureAwait(false))
                        {
                            // The stream ended inside the line: so did the event.
                            _start = _end;
                            _state = DataState.Ended;
                        }

                        break;
                    case DataState.Newline:
                        destination[offset] = (byte)'\n';
                        _state = _afterNewline;
                        return 1;
                    case DataState.BetweenLines:
                        await ReadNextLineOfEventAsync(owner, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        return 0;
                }
            }
        }

        /// <summary>
        /// Copies buffered value bytes up to the line end (CR or LF). Moves on to <see cref="DataState.BetweenLines"/> at
        /// the line end; 0 when more must be read.
        /// </summary>
        private int CopyValue(byte[] destination, int offset, int count)
        {
            int newline = LineEnd(_start);
            int stop = newline >= 0 ? newline : _end;
            int available = stop - _start;
            if (available > 0)
            {
                int n = Math.Min(count, available);
                Buffer.BlockCopy(_buffer, _start, destination, offset, n);
                _start += n;
                return n;
            }

            if (newline >= 0)
            {
                EndLineAt(newline);
                _state = DataState.BetweenLines;
            }

            return 0;
        }

        /// <summary>Where the first CR or LF at or after <paramref name="from"/> is in the buffered bytes; -1 when none is.</summary>
        private int LineEnd(int from)
        {
            int found = from < _end ? new ReadOnlySpan<byte>(_buffer, from, _end - from).IndexOfAny((byte)'\r', (byte)'\n') : -1;
            return found < 0 ? -1 : from + found;
        }

        /// <summary>Consumes the line break at <paramref name="index"/>; after a CR, an LF that follows is skipped later.</summary>
        private void EndLineAt(int index)
        {
            _afterCr = _buffer[index] == (byte)'\r';
            _start = index + 1;
        }

        /// <summary>After a data line: another data line continues the data, an event line renames it, a blank line or the end ends it.</summary>
        private async Task ReadNextLineOfEventAsync(ServerSentEvent owner, CancellationToken cancellationToken)
        {
            (LineKind kind, bool lineEnded) = await ReadFieldNameAsync(cancellationToken).ConfigureAwait(false);
            switch (kind)
            {
                case LineKind.EndOfStream:
                case LineKind.Blank:
                    _state = DataState.Ended;
                    break;
                case LineKind.Event:
                    owner.Name = await ReadValueAsync(lineEnded, cancellationToken).ConfigureAwait(false);
                    break;
                case LineKind.Data:
                    // The joining newline comes first; a line without a colon ("data" alone) adds only that newline.
                    _state = DataState.Newline;
                    _afterNewline = lineEnded ? DataState.BetweenLines : DataState.Value;
                    if (!lineEnded)
                    {
                        await SkipOneSpaceAsync(cancellationToken).ConfigureAwait(false);
                    }

                    break;
                default:
                    await SkipLineAsync(lineEnded, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        private async Task SkipRestOfEventAsync(CancellationToken cancellationToken)
        {
            if (_current is null)
            {
                return;
            }

            _drain ??= new byte[4096];
            while (await ReadDataAsync(_current, _drain, 0, _drain.Length, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }

        /// <summary>
        /// Reads a line's field name, up to its colon or line end. The line is consumed up to there: when it ended
        /// (no colon), there is no value to read or skip.
        /// </summary>
        private async Task<(LineKind Kind, bool LineEnded)> ReadFieldNameAsync(CancellationToken cancellationToken)
        {
            if (_afterCr)
            {
                // The LF of a CRLF whose CR ended the last line.
                if ((_start < _end || await FillAsync(cancellationToken).ConfigureAwait(false)) && _buffer[_start] == (byte)'\n')
                {
                    _start++;
                }

                _afterCr = false;
            }

            int length = 0;
            bool tooLong = false;
            bool colon = false;
            bool newline = false;
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                byte b = _buffer[_start++];
                if (b == (byte)':')
                {
                    colon = true;
                    break;
                }

                if (b == (byte)'\n' || b == (byte)'\r')
                {
                    _afterCr = b == (byte)'\r';
                    newline = true;
                    break;
                }

                if (length < FieldNameLimit)
                {
                    _fieldName[length++] = b;
                }
                else
                {
                    tooLong = true;
                }
            }

            if (length == 0 && !tooLong)
            {
                return colon ? (LineKind.Other, false) // a comment or keep-alive
                    : newline ? (LineKind.Blank, true)
                    : (LineKind.EndOfStream, true);
            }

            LineKind kind = tooLong ? LineKind.Other
                : IsField(length, "data") ? LineKind.Data
                : IsField(length, "event") ? LineKind.Event
                : LineKind.Other;
            return (kind, !colon);
        }

        private bool IsField(int length, string field)
        {
            if (length != field.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (_fieldName[i] != (byte)field[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>After a field's colon: one leading space belongs to the syntax, not the value.</summary>
        private async Task SkipOneSpaceAsync(CancellationToken cancellationToken)
        {
            if ((_start < _end || await FillAsync(cancellationToken).ConfigureAwait(false)) && _buffer[_start] == (byte)' ')
            {
                _start++;
            }
        }

        /// <summary>The rest of a short line (an event name) as text, without the leading space and the line break.</summary>
        private async Task<string> ReadValueAsync(bool lineEnded, CancellationToken cancellationToken)
        {
            if (lineEnded)
            {
                return "";
            }

            await SkipOneSpaceAsync(cancellationToken).ConfigureAwait(false);
            _value.SetLength(0);
            bool cut = false;
            while (true)
            {
                int newline = LineEnd(_start);
                int stop = newline >= 0 ? newline : _end;
                int room = EventNameLimit - (int)_value.Length;
                int take = Math.Min(room, stop - _start);
                cut |= take < stop - _start;
                _value.Write(_buffer, _start, take);
                if (newline >= 0)
                {
                    EndLineAt(newline);
                    break;
                }

                _start = _end;
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }

            string name = Encoding.UTF8.GetString(_value.GetBuffer(), 0, (int)_value.Length);
            return cut ? name + "...(cut)" : name;
        }

        /// <summary>Skips to the next line (a comment, an unknown field), however long.</summary>
        private async Task SkipLineAsync(bool lineEnded, CancellationToken cancellationToken)
        {
            while (!lineEnded)
            {
                int newline = LineEnd(_start);
                if (newline >= 0)
                {
                    EndLineAt(newline);
                    return;
                }

                _start = _end;
                lineEnded = !await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Reads more bytes after the unread ones; false at the end of the stream.</summary>
        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_endOfStream)
            {
                return false;
            }

            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
            int read = await ReadWithIdleTimeoutAsync(_end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                return false;
            }

            _end += read;
            return true;
        }

        private TimeoutException IdleTimedOut() => new TimeoutException($"The stream sent nothing for {_idleTimeout.TotalSeconds:0.#} s.");

        private async Task<int> ReadWithIdleTimeoutAsync(int offset, int count, CancellationToken cancellationToken)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_idleTimeout);

            // Some streams ignore the token (older frameworks); disposing the stream unblocks the read.
            using (idle.Token.Register(BodyRead.DisposeQuietly, _stream))
            {
                int read;
                try
                {
                    read = await _stream.ReadAsync(_buffer, offset, count, idle.Token).ConfigureAwait(false);
                }
                catch (Exception) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw IdleTimedOut();
                }

                if (read == 0 && idle.IsCancellationRequested)
                {
                    // A disposed stream may end quietly instead of failing: that end is the stop, not the stream's end.
                    cancellationToken.ThrowIfCancellationRequested();
                    throw IdleTimedOut();
                }

                return read;
            }
        }
    }

    /// <summary>An event's data as a read-only stream over the reader's buffer; it ends where the event ends.</summary>
    internal sealed class ServerSentEventDataStream : Stream
    {
        private readonly ServerSentEventReader _reader;
        private readonly ServerSentEvent _owner;

        public ServerSentEventDataStream(ServerSentEventReader reader, ServerSentEvent owner)
        {
            _reader = reader;
            _owner = owner;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _reader.ReadDataAsync(_owner, buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>Nothing to release: the network stream belongs to the reader (which a cancelled read disposes).</summary>
        protected override void Dispose(bool disposing)
        {
        }
    }
}
