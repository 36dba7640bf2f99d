using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// One server-sent event: its name (absent for plain data lines) and its data lines joined by newlines, kept as
    /// the UTF-8 bytes that arrived, so a multi-megabyte b64_json event is parsed in place and never becomes a string.
    /// </summary>
    public sealed class ServerSentEvent : IDisposable
    {
        private static readonly byte[] DoneMarker = Encoding.ASCII.GetBytes("[DONE]");
        private readonly PooledBuffer? _owner;
        private string? _data;

        public ServerSentEvent(string? name, ReadOnlyMemory<byte> utf8Data)
        {
            Name = name;
            Utf8Data = utf8Data;
        }

        internal ServerSentEvent(string? name, PooledBuffer owner, int start)
            : this(name, owner.Slice(start))
        {
            _owner = owner;
        }

        public string? Name { get; }

        public ReadOnlyMemory<byte> Utf8Data { get; }

        /// <summary>The data as text (decoded on first use; the client itself reads <see cref="Utf8Data"/>).</summary>
        public string Data => _data ??= Encoding.UTF8.GetString(Utf8Data.ToArray());

        /// <summary>The stream's closing "data: [DONE]".</summary>
        public bool IsDone => Utf8Data.Span.SequenceEqual(DoneMarker);

        /// <summary>Gives the event's buffer back to the pool; <see cref="Utf8Data"/> must not be used afterwards.</summary>
        public void Dispose() => _owner?.Dispose();
    }

    /// <summary>
    /// Reads text/event-stream incrementally: each event is returned as soon as its blank line arrives.
    /// Each read may wait at most the idle time-out for bytes.
    /// </summary>
    public sealed class ServerSentEventReader : IDisposable
    {
        private readonly Stream _stream;
        private readonly TimeSpan _idleTimeout;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _endOfStream;
        private PooledBuffer _line = new PooledBuffer();

        public ServerSentEventReader(Stream stream, TimeSpan idleTimeout)
        {
            _stream = stream;
            _idleTimeout = idleTimeout;
        }

        /// <summary>The next event, or null at the end of the stream.</summary>
        public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
        {
            string? name = null;
            PooledBuffer? data = null;
            int dataStart = 0;
            while (true)
            {
                if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
                {
                    return data is null ? null : Create(name, data, dataStart);
                }

                byte[] line = _line.Array;
                int length = _line.Length;
                if (length == 0)
                {
                    if (data != null)
                    {
                        return Create(name, data, dataStart);
                    }

                    name = null;
                    continue;
                }

                if (line[0] == (byte)':')
                {
                    continue; // comment / keep-alive
                }

                int colon = Array.IndexOf(line, (byte)':', 0, length);
                int fieldLength = colon < 0 ? length : colon;
                int valueStart = colon < 0 ? length : colon + 1;
                if (valueStart < length && line[valueStart] == (byte)' ')
                {
                    valueStart++;
                }

                if (IsField(line, fieldLength, "event"))
                {
                    name = Encoding.UTF8.GetString(line, valueStart, length - valueStart);
                }
                else if (IsField(line, fieldLength, "data"))
                {
                    if (data is null)
                    {
                        // The usual single data line: the event keeps the line's own buffer instead of a copy.
                        data = _line;
                        dataStart = valueStart;
                        _line = new PooledBuffer();
                    }
                    else
                    {
                        data.Append((byte)'\n');
                        data.Append(line, valueStart, length - valueStart);
                    }
                }
            }
        }

        private static ServerSentEvent Create(string? name, PooledBuffer data, int start) => new ServerSentEvent(name, data, start);

        /// <summary>Gives the line buffer back to the pool.</summary>
        public void Dispose() => _line.Dispose();

        private static bool IsField(byte[] line, int length, string field)
        {
            if (length != field.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (line[i] != (byte)field[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Reads the next line into <c>_line</c> without its line break; false at the end of the stream.</summary>
        private async Task<bool> ReadLineAsync(CancellationToken cancellationToken)
        {
            _line.Clear();
            while (true)
            {
                int newline = _start < _end ? Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start) : -1;
                if (newline >= 0)
                {
                    _line.Append(_buffer, _start, newline - _start);
                    _start = newline + 1;
                    TrimCarriageReturn();
                    return true;
                }

                _line.Append(_buffer, _start, _end - _start);
                _start = _end = 0;
                if (_endOfStream)
                {
                    TrimCarriageReturn();
                    return _line.Length > 0;
                }

                int read = await ReadWithIdleTimeoutAsync(cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    _endOfStream = true;
                }
                else
                {
                    _end = read;
                }
            }
        }

        private void TrimCarriageReturn()
        {
            if (_line.Length > 0 && _line.Array[_line.Length - 1] == (byte)'\r')
            {
                _line.Shorten(1);
            }
        }

        private async Task<int> ReadWithIdleTimeoutAsync(CancellationToken cancellationToken)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_idleTimeout);

            // Some streams ignore the token (older frameworks); disposing the stream unblocks the read.
            using (idle.Token.Register(() => _stream.Dispose()))
            {
                try
                {
                    return await _stream.ReadAsync(_buffer, 0, _buffer.Length, idle.Token).ConfigureAwait(false);
                }
                catch (Exception) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The stream sent nothing for {_idleTimeout.TotalSeconds:0.#} s.");
                }
            }
        }
    }
}
