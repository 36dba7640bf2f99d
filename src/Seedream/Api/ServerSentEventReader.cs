using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>One server-sent event: its name (absent for plain data lines) and its data lines joined by newlines.</summary>
    public sealed class ServerSentEvent
    {
        public ServerSentEvent(string? name, string data)
        {
            Name = name;
            Data = data;
        }

        public string? Name { get; }
        public string Data { get; }
    }

    /// <summary>
    /// Reads text/event-stream incrementally: each event is returned as soon as its blank line arrives.
    /// Each read may wait at most the idle time-out for bytes.
    /// </summary>
    public sealed class ServerSentEventReader
    {
        private readonly Stream _stream;
        private readonly TimeSpan _idleTimeout;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private bool _endOfStream;
        private readonly MemoryStream _line = new MemoryStream();

        public ServerSentEventReader(Stream stream, TimeSpan idleTimeout)
        {
            _stream = stream;
            _idleTimeout = idleTimeout;
        }

        /// <summary>Set when a read waited longer than the idle time-out.</summary>
        public bool TimedOut { get; private set; }

        /// <summary>The next event, or null at the end of the stream.</summary>
        public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
        {
            string? name = null;
            StringBuilder? data = null;
            while (true)
            {
                string? line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    return data is null ? null : new ServerSentEvent(name, data.ToString());
                }

                if (line.Length == 0)
                {
                    if (data != null)
                    {
                        return new ServerSentEvent(name, data.ToString());
                    }

                    name = null;
                    continue;
                }

                if (line[0] == ':')
                {
                    continue; // comment / keep-alive
                }

                int colon = line.IndexOf(':');
                string field = colon < 0 ? line : line.Substring(0, colon);
                string value = colon < 0 ? "" : line.Substring(colon + 1);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value.Substring(1);
                }

                if (field == "event")
                {
                    name = value;
                }
                else if (field == "data")
                {
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                }
            }
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            _line.SetLength(0);
            while (true)
            {
                for (int i = _start; i < _end; i++)
                {
                    if (_buffer[i] == (byte)'\n')
                    {
                        int length = i - _start;
                        _line.Write(_buffer, _start, length);
                        _start = i + 1;
                        return Decode();
                    }
                }

                _line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                if (_endOfStream)
                {
                    return _line.Length == 0 ? null : Decode();
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
                    TimedOut = true;
                    throw new TimeoutException($"The stream sent nothing for {_idleTimeout.TotalSeconds:0.#} s.");
                }
            }
        }

        private string Decode()
        {
            byte[] bytes = _line.GetBuffer();
            int length = (int)_line.Length;
            if (length > 0 && bytes[length - 1] == (byte)'\r')
            {
                length--;
            }

            return Encoding.UTF8.GetString(bytes, 0, length);
        }
    }
}
