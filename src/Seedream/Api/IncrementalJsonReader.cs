using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// Reads one JSON value from a stream token by token as it arrives (a <see cref="Utf8JsonReader"/> over a small
    /// buffer that grows only for a single long token), and decodes base64 strings straight to bytes while they
    /// arrive (<see cref="Base64StreamDecoder"/>), so such a string is never held whole. It knows JSON, not the API:
    /// <see cref="GenerationBodyReader"/> says which fields mean what. Malformed JSON raises <see cref="JsonException"/>,
    /// invalid base64 <see cref="FormatException"/>. A value that is skipped is never held whole either: a long string
    /// there is read past byte by byte. Any other single token longer than the bound raises
    /// <see cref="AnswerTooLargeException"/>.
    /// </summary>
    internal sealed class IncrementalJsonReader
    {
        /// <summary>The buffer size from which a skipped string is read past instead of gathered.</summary>
        internal const int SkipScanSize = 64 * 1024;

        private readonly Stream _stream;
        private readonly int _maxTokenBytes;
        private readonly byte[] _one = new byte[1];
        private byte[] _buffer;
        private int _start;
        private int _end;
        private bool _endOfStream;
        private JsonReaderState _state;

        private int _scan;
        private JsonTokenType _tokenType;
        private string? _text;
        private long? _integer;

        public IncrementalJsonReader(Stream stream, int initialBufferSize)
            : this(stream, initialBufferSize, int.MaxValue)
        {
        }

        /// <param name="maxTokenBytes">The longest single token held (a string that is used, a property name); b64_json
        /// and skipped values are not held, so not bounded by it.</param>
        public IncrementalJsonReader(Stream stream, int initialBufferSize, int maxTokenBytes)
        {
            _stream = stream;
            _maxTokenBytes = Math.Max(1, maxTokenBytes);
            _buffer = new byte[Math.Max(1, Math.Min(initialBufferSize, _maxTokenBytes))];
            _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        }

        /// <summary>The read buffer's largest size so far (for tests of the memory bound).</summary>
        public int BufferSize => _buffer.Length;

        /// <summary>The last token's integer value, when it was a number that fits a long.</summary>
        public long? Integer => _integer;

        /// <summary>
        /// True when the whole stream is exactly <paramref name="marker"/> (a stream's "[DONE]", which is not JSON);
        /// reads at most one byte more than the marker before it knows. Call before the first token.
        /// </summary>
        public async Task<bool> IsExactlyAsync(byte[] marker, CancellationToken cancellationToken)
        {
            while (!_endOfStream && _end - _start <= marker.Length)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            return new ReadOnlySpan<byte>(_buffer, _start, _end - _start).SequenceEqual(marker);
        }

        /// <summary>The next token, reading more of the stream as needed; None after the last token of the value.</summary>
        public async Task<JsonTokenType> NextAsync(CancellationToken cancellationToken)
        {
            while (!TryReadToken(textWanted: false))
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            return _tokenType;
        }

        /// <summary>After the root value: only whitespace may follow (the JSON reader rejects anything else at the final block).</summary>
        public async Task ExpectEndAsync(CancellationToken cancellationToken)
        {
            if (await NextAsync(cancellationToken).ConfigureAwait(false) != JsonTokenType.None)
            {
                throw new FormatException("The answer holds more than one JSON value.");
            }
        }

        /// <summary>The next property's name, or null at the end of the object.</summary>
        public async Task<string?> PropertyNameAsync(CancellationToken cancellationToken)
        {
            while (!TryReadToken(textWanted: true))
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_tokenType == JsonTokenType.EndObject)
            {
                return null;
            }

            if (_tokenType != JsonTokenType.PropertyName)
            {
                throw new JsonException($"Expected a property name, found {_tokenType}.");
            }

            return _text;
        }

        /// <summary>A value that is used only when it is a string; anything else is skipped and gives null.</summary>
        public async Task<string?> StringValueAsync(CancellationToken cancellationToken)
        {
            while (!TryReadToken(textWanted: true))
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_tokenType == JsonTokenType.String)
            {
                return _text;
            }

            await SkipRestOfValueAsync(_tokenType, cancellationToken).ConfigureAwait(false);
            return null;
        }

        /// <summary>A value that is used only when it is a number that fits a long; anything else is skipped and gives null.</summary>
        public async Task<long?> IntegerValueAsync(CancellationToken cancellationToken)
        {
            JsonTokenType token = await NextAsync(cancellationToken).ConfigureAwait(false);
            long? value = token == JsonTokenType.Number ? _integer : null;
            await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
            return value;
        }

        public async Task SkipValueAsync(CancellationToken cancellationToken)
        {
            JsonTokenType token = await NextSkippingAsync(cancellationToken).ConfigureAwait(false);
            await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The next token of a value being skipped: a long string is read past, never gathered.</summary>
        private async Task<JsonTokenType> NextSkippingAsync(CancellationToken cancellationToken)
        {
            while (!TryReadToken(textWanted: false))
            {
                if (_end - _start == _buffer.Length && _buffer.Length >= SkipScanSize && await TrySkipLongStringAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            return _tokenType;
        }

        /// <summary>
        /// When the unread bytes start (after whitespace and at most one ',' or ':') with a string that does not fit the
        /// buffer, reads past its content and leaves an empty string ("") in its place for the JSON reader, as the
        /// b64_json reader does. False, with nothing changed, when they do not start with a string.
        /// </summary>
        private async Task<bool> TrySkipLongStringAsync(CancellationToken cancellationToken)
        {
            int p = _start;
            while (p < _end && IsWhitespace(_buffer[p]))
            {
                p++;
            }

            byte separator = 0;
            if (p < _end && (_buffer[p] == (byte)',' || _buffer[p] == (byte)':'))
            {
                separator = _buffer[p++];
                while (p < _end && IsWhitespace(_buffer[p]))
                {
                    p++;
                }
            }

            if (p >= _end || _buffer[p] != (byte)'"')
            {
                return false;
            }

            // Kept: the separator, if any, and the opening quote; the content is dropped as it is read.
            int keep = 0;
            if (separator != 0)
            {
                _buffer[_start + keep++] = separator;
            }

            _buffer[_start + keep++] = (byte)'"';
            int scan = p + 1;
            bool escaped = false;
            while (true)
            {
                for (; scan < _end; scan++)
                {
                    byte b = _buffer[scan];
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (b == (byte)'"')
                    {
                        // The closing quote and what follows move up behind the kept bytes: "" is left.
                        int destination = _start + keep;
                        Buffer.BlockCopy(_buffer, scan, _buffer, destination, _end - scan);
                        _end = destination + (_end - scan);
                        return true;
                    }
                }

                _end = _start + keep;
                await FillAsync(cancellationToken).ConfigureAwait(false);
                if (_end == _start + keep)
                {
                    throw new JsonException("The answer ended inside a string.");
                }

                scan = _start + keep;
            }
        }

        /// <summary>After a value's first token: reads to the end of the object or array it opened, if any.</summary>
        public async Task SkipRestOfValueAsync(JsonTokenType first, CancellationToken cancellationToken)
        {
            if (first == JsonTokenType.None)
            {
                throw new JsonException("The answer ended inside a value.");
            }

            int depth = first == JsonTokenType.StartObject || first == JsonTokenType.StartArray ? 1 : 0;
            while (depth > 0)
            {
                switch (await NextSkippingAsync(cancellationToken).ConfigureAwait(false))
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.None:
                        throw new JsonException("The answer ended inside a value.");
                }
            }
        }

        /// <summary>
        /// A base64 value, after its property name; null when it is not a string. A string is decoded piece by piece
        /// straight from the read buffer; then its bytes in the buffer are replaced by an empty string (<c>""</c>) so the
        /// JSON reader goes on from there as if it had read the value itself. Anything else is left to the JSON reader.
        /// </summary>
        public async Task<ImagePayload?> Base64ValueAsync(CancellationToken cancellationToken)
        {
            _scan = _start;
            while (await EnsureAsync(1, cancellationToken).ConfigureAwait(false) && IsWhitespace(_buffer[_scan]))
            {
                _scan++;
            }

            if (_scan == _end || _buffer[_scan] != (byte)'"')
            {
                // Not a string (null, a number, an object): skipped; a malformed value fails in the JSON reader.
                await SkipValueAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            _scan++;
            var decoder = new Base64StreamDecoder();
            while (true)
            {
                if (!await EnsureAsync(1, cancellationToken).ConfigureAwait(false))
                {
                    throw new JsonException("The answer ended inside a b64_json string.");
                }

                if (DecodePlainRun(decoder))
                {
                    break;
                }

                if (_scan < _end && _buffer[_scan] == (byte)'\\')
                {
                    await DecodeEscapeAsync(decoder, cancellationToken).ConfigureAwait(false);
                }
            }

            ImagePayload decoded = decoder.Finish();

            // _scan is on the closing quote, and the byte before it has been read: together they become "".
            _buffer[_scan - 1] = (byte)'"';
            _start = _scan - 1;
            if (await NextAsync(cancellationToken).ConfigureAwait(false) != JsonTokenType.String)
            {
                throw new JsonException("The b64_json string could not be read.");
            }

            return decoded;
        }

        /// <summary>Decodes buffered text up to a quote or backslash; true when it stopped on the closing quote.</summary>
        private bool DecodePlainRun(Base64StreamDecoder decoder)
        {
            var rest = new ReadOnlySpan<byte>(_buffer, _scan, _end - _scan);
            int stop = rest.IndexOfAny((byte)'"', (byte)'\\');
            decoder.Append(stop < 0 ? rest : rest.Slice(0, stop));
            _scan += stop < 0 ? rest.Length : stop;
            return stop >= 0 && _buffer[_scan] == (byte)'"';
        }

        /// <summary>An escape inside a b64_json string: \/ and \u002B are legal ways to write base64 characters.</summary>
        private async Task DecodeEscapeAsync(Base64StreamDecoder decoder, CancellationToken cancellationToken)
        {
            if (!await EnsureAsync(2, cancellationToken).ConfigureAwait(false))
            {
                throw new JsonException("The answer ended inside a b64_json string.");
            }

            byte kind = _buffer[_scan + 1];
            int length = kind == (byte)'u' ? 6 : 2;
            if (!await EnsureAsync(length, cancellationToken).ConfigureAwait(false))
            {
                throw new JsonException("The answer ended inside a b64_json string.");
            }

            int value = kind switch
            {
                (byte)'u' => ParseHex(_buffer, _scan + 2),
                (byte)'"' => '"',
                (byte)'\\' => '\\',
                (byte)'/' => '/',
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => throw new JsonException("The b64_json string holds an invalid escape sequence."),
            };
            if (value > 0x7F)
            {
                throw new FormatException("The b64_json value is not valid base64.");
            }

            _one[0] = (byte)value;
            decoder.Append(new ReadOnlySpan<byte>(_one));
            _scan += length;
        }

        private static int ParseHex(byte[] buffer, int offset)
        {
            int value = 0;
            for (int i = offset; i < offset + 4; i++)
            {
                byte c = buffer[i];
                int digit = c >= (byte)'0' && c <= (byte)'9' ? c - '0'
                    : c >= (byte)'a' && c <= (byte)'f' ? c - 'a' + 10
                    : c >= (byte)'A' && c <= (byte)'F' ? c - 'A' + 10
                    : throw new JsonException("The b64_json string holds an invalid \\u escape.");
                value = (value * 16) + digit;
            }

            return value;
        }

        private static bool IsWhitespace(byte b) => b == (byte)' ' || b == (byte)'\t' || b == (byte)'\n' || b == (byte)'\r';

        /// <summary>
        /// Makes at least <paramref name="count"/> bytes available from <see cref="_scan"/>; false at the end of the stream.
        /// The byte before <see cref="_scan"/> is kept too (it becomes the opening quote of the "" left for the JSON reader).
        /// </summary>
        private async Task<bool> EnsureAsync(int count, CancellationToken cancellationToken)
        {
            while (_end - _scan < count)
            {
                if (_endOfStream)
                {
                    return false;
                }

                int keep = Math.Max(_start, _scan - 1);
                int offset = _scan - keep;
                _start = keep;
                await FillAsync(cancellationToken).ConfigureAwait(false);
                _scan = _start + offset;
            }

            return true;
        }

        /// <summary>Reads one token from the buffered bytes; false when they hold no complete token yet.</summary>
        private bool TryReadToken(bool textWanted)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _start, _end - _start), _endOfStream, _state);
            if (!reader.Read())
            {
                if (!_endOfStream)
                {
                    return false;
                }

                // The final block ended cleanly after a complete value (the reader throws on anything incomplete).
                _tokenType = JsonTokenType.None;
                return true;
            }

            _tokenType = reader.TokenType;
            _text = null;
            _integer = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when textWanted:
                case JsonTokenType.String when textWanted:
                    _text = reader.GetString();
                    break;
                case JsonTokenType.Number:
                    _integer = reader.TryGetInt64(out long number) ? number : (long?)null;
                    break;
            }

            _start += checked((int)reader.BytesConsumed);
            _state = reader.CurrentState;
            return true;
        }

        /// <summary>
        /// Reads more bytes after the unread tail. The tail moves to the front first; the buffer grows only when a
        /// single token (a long string) fills all of it.
        /// </summary>
        private async Task FillAsync(CancellationToken cancellationToken)
        {
            if (_endOfStream)
            {
                throw new JsonException("The answer ended inside a value.");
            }

            int pending = _end - _start;
            if (pending == _buffer.Length)
            {
                if (_buffer.Length >= _maxTokenBytes)
                {
                    throw new AnswerTooLargeException(
                        $"A single value in the answer is longer than {_maxTokenBytes:N0} bytes, the most the module holds for anything but b64_json.");
                }

                var larger = new byte[Math.Min(NextBufferSize(_buffer.Length), _maxTokenBytes)];
                Buffer.BlockCopy(_buffer, _start, larger, 0, pending);
                _buffer = larger;
                _start = 0;
                _end = pending;
            }
            else if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _start = 0;
                _end = pending;
            }

            int read = await BodyRead.ReadAsync(_stream, _buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }

        /// <summary>Doubles while small, then grows by half.</summary>
        private static int NextBufferSize(int current)
        {
            long next = current < 1024 * 1024 ? current * 2L : current + (current / 2L);
            if (next > int.MaxValue - 64)
            {
                throw new FormatException("A single value in the answer is larger than 2 GB.");
            }

            return (int)next;
        }
    }
}
