using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// Reads a non-streamed generation answer (model, created, data[], usage) token by token as it arrives, and
    /// decodes each <c>b64_json</c> string straight to bytes while it arrives (<see cref="Base64StreamDecoder"/>):
    /// neither the body nor an image's base64 text is ever held whole, only the decoded images.
    /// Gives the same result as a whole-document parse (the tests keep one as an oracle). Malformed JSON raises
    /// <see cref="JsonException"/>, invalid base64 or a non-object answer <see cref="FormatException"/>.
    /// </summary>
    public sealed class GenerationBodyReader
    {
        private const int InitialBufferSize = 16 * 1024;

        private readonly Stream _stream;
        private byte[] _buffer;
        private int _start;
        private int _end;
        private bool _endOfStream;
        private JsonReaderState _state;

        private int _scan;
        private JsonTokenType _tokenType;
        private string? _text;
        private byte[]? _bytes;
        private long? _integer;

        private GenerationBodyReader(Stream stream, int initialBufferSize)
        {
            _stream = stream;
            _buffer = new byte[Math.Max(1, initialBufferSize)];
            _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        }

        /// <summary>What to make of a string token: nothing, its text, or its base64-decoded bytes.</summary>
        private enum StringAs
        {
            Nothing,
            Text,
            Base64,
        }

        /// <summary>The growing read buffer's largest size so far (for tests of the memory bound).</summary>
        internal int BufferSize => _buffer.Length;

        /// <summary>Reads the whole answer from <paramref name="stream"/> into <paramref name="result"/>.</summary>
        public static Task ReadAsync(Stream stream, GenerationResult result, CancellationToken cancellationToken) =>
            ReadAsync(stream, result, InitialBufferSize, cancellationToken);

        internal static async Task<GenerationBodyReader> ReadAsync(Stream stream, GenerationResult result, int initialBufferSize, CancellationToken cancellationToken)
        {
            var reader = new GenerationBodyReader(stream, initialBufferSize);
            await reader.ReadRootAsync(result, cancellationToken).ConfigureAwait(false);
            return reader;
        }

        private async Task ReadRootAsync(GenerationResult result, CancellationToken cancellationToken)
        {
            if (await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false) != JsonTokenType.StartObject)
            {
                throw new FormatException("The answer is not a JSON object.");
            }

            string? model = null;
            DateTimeOffset? created = null;
            List<GeneratedImage>? images = null;
            GenerationUsage? usage = null;
            while (true)
            {
                string? name = await PropertyNameAsync(cancellationToken).ConfigureAwait(false);
                if (name is null)
                {
                    break;
                }

                switch (name)
                {
                    case "model":
                        model = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "created":
                        JsonTokenType createdToken = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                        if (createdToken == JsonTokenType.Number && _integer is long seconds)
                        {
                            created = FromUnixSeconds(seconds);
                        }

                        await SkipRestOfValueAsync(createdToken, cancellationToken).ConfigureAwait(false);
                        break;
                    case "data":
                        JsonTokenType dataToken = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                        if (dataToken == JsonTokenType.StartArray)
                        {
                            images = await ReadImagesAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await SkipRestOfValueAsync(dataToken, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case "usage":
                        JsonTokenType usageToken = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                        usage = usageToken == JsonTokenType.StartObject
                            ? await ReadUsageAsync(cancellationToken).ConfigureAwait(false)
                            : null;
                        if (usageToken != JsonTokenType.StartObject)
                        {
                            await SkipRestOfValueAsync(usageToken, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    default:
                        await SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            // Only whitespace may follow the answer; the JSON reader rejects anything else at the final block.
            if (await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false) != JsonTokenType.None)
            {
                throw new FormatException("The answer holds more than one JSON value.");
            }

            result.Model = model ?? result.Model;
            if (created is DateTimeOffset stamp)
            {
                result.Created = stamp;
            }

            foreach (GeneratedImage image in images ?? new List<GeneratedImage>())
            {
                image.Model = result.Model;
                image.Created = result.Created;
                result.Images.Add(image);
            }

            if (usage != null)
            {
                result.Usage = usage;
            }
        }

        private async Task<List<GeneratedImage>> ReadImagesAsync(CancellationToken cancellationToken)
        {
            var images = new List<GeneratedImage>();
            while (true)
            {
                JsonTokenType token = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                if (token == JsonTokenType.EndArray)
                {
                    return images;
                }

                int index = images.Count;
                if (token == JsonTokenType.StartObject)
                {
                    images.Add(await ReadImageAsync(index, cancellationToken).ConfigureAwait(false));
                    continue;
                }

                await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
                images.Add(SlotRules.NotAnObject(index));
            }
        }

        /// <summary>One data[] slot, after its StartObject; the rules are <see cref="SlotRules"/>, as in <see cref="ResponseParser.ReadImage"/>.</summary>
        private async Task<GeneratedImage> ReadImageAsync(int index, CancellationToken cancellationToken)
        {
            var image = new GeneratedImage { Index = index };
            while (true)
            {
                string? name = await PropertyNameAsync(cancellationToken).ConfigureAwait(false);
                if (name is null)
                {
                    break;
                }

                switch (name)
                {
                    case "url":
                        image.Url = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "size":
                        image.Size = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "b64_json":
                        image.Bytes = await Base64ValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "error":
                        JsonTokenType errorToken = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                        if (errorToken == JsonTokenType.StartObject)
                        {
                            image.Error = await ReadErrorAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            image.Error = null;
                            await SkipRestOfValueAsync(errorToken, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    default:
                        await SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            return SlotRules.Complete(image);
        }

        /// <summary>
        /// A b64_json value, after its property name. A string is decoded piece by piece straight from the read buffer;
        /// then its bytes in the buffer are replaced by an empty string (<c>""</c>) so the JSON reader goes on from
        /// there as if it had read the value itself. Anything else (null, a number) is left to the JSON reader.
        /// </summary>
        private async Task<byte[]?> Base64ValueAsync(CancellationToken cancellationToken)
        {
            _scan = _start;
            while (await EnsureAsync(1, cancellationToken).ConfigureAwait(false) && IsWhitespace(_buffer[_scan]))
            {
                _scan++;
            }

            if (_scan == _end || _buffer[_scan] != (byte)'"')
            {
                bool isString = await StringValueAsync(StringAs.Base64, cancellationToken).ConfigureAwait(false);
                byte[]? bytes = isString ? _bytes : null;
                _bytes = null;
                return bytes;
            }

            _scan++;
            var decoder = new Base64StreamDecoder(_spareChunks);
            try
            {
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
            }
            catch
            {
                decoder.Abandon();
                throw;
            }

            byte[] decoded = decoder.Finish();

            // _scan is on the closing quote, and the byte before it has been read: together they become "".
            _buffer[_scan - 1] = (byte)'"';
            _start = _scan - 1;
            if (await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false) != JsonTokenType.String)
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

        private readonly byte[] _one = new byte[1];
        private readonly Stack<byte[]> _spareChunks = new Stack<byte[]>();

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
        /// Makes at least <paramref name="count"/> bytes available from <see cref="_scan"/>; false at the end of the body.
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

        private async Task<ApiError> ReadErrorAsync(CancellationToken cancellationToken)
        {
            string? code = null, message = null, param = null, type = null;
            while (true)
            {
                string? name = await PropertyNameAsync(cancellationToken).ConfigureAwait(false);
                if (name is null)
                {
                    break;
                }

                switch (name)
                {
                    case "code":
                        code = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "message":
                        message = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "param":
                        param = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    case "type":
                        type = await StringValueAsync(StringAs.Text, cancellationToken).ConfigureAwait(false) ? _text : null;
                        break;
                    default:
                        await SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            return SlotRules.Error(code, message, param, type);
        }

        private async Task<GenerationUsage> ReadUsageAsync(CancellationToken cancellationToken)
        {
            long images = 0, outputTokens = 0, totalTokens = 0;
            while (true)
            {
                string? name = await PropertyNameAsync(cancellationToken).ConfigureAwait(false);
                if (name is null)
                {
                    break;
                }

                JsonTokenType token = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
                long value = token == JsonTokenType.Number && _integer is long number ? number : 0;
                switch (name)
                {
                    case "generated_images":
                        images = value;
                        break;
                    case "output_tokens":
                        outputTokens = value;
                        break;
                    case "total_tokens":
                        totalTokens = value;
                        break;
                }

                await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
            }

            return new GenerationUsage((int)images, outputTokens, totalTokens);
        }

        /// <summary>The next property's name, or null at the end of the object.</summary>
        private async Task<string?> PropertyNameAsync(CancellationToken cancellationToken)
        {
            JsonTokenType token = await NextAsync(StringAs.Text, cancellationToken).ConfigureAwait(false);
            if (token == JsonTokenType.EndObject)
            {
                return null;
            }

            if (token != JsonTokenType.PropertyName)
            {
                throw new JsonException($"Expected a property name, found {token}.");
            }

            return _text;
        }

        /// <summary>Reads a value; true when it was a string (then in <see cref="_text"/> or <see cref="_bytes"/>).</summary>
        private async Task<bool> StringValueAsync(StringAs stringAs, CancellationToken cancellationToken)
        {
            JsonTokenType token = await NextAsync(stringAs, cancellationToken).ConfigureAwait(false);
            if (token == JsonTokenType.String)
            {
                return true;
            }

            await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
            return false;
        }

        private async Task SkipValueAsync(CancellationToken cancellationToken)
        {
            JsonTokenType token = await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false);
            await SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>After a value's first token: reads to the end of the object or array it opened, if any.</summary>
        private async Task SkipRestOfValueAsync(JsonTokenType first, CancellationToken cancellationToken)
        {
            if (first == JsonTokenType.None)
            {
                throw new JsonException("The answer ended inside a value.");
            }

            int depth = first == JsonTokenType.StartObject || first == JsonTokenType.StartArray ? 1 : 0;
            while (depth > 0)
            {
                switch (await NextAsync(StringAs.Nothing, cancellationToken).ConfigureAwait(false))
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

        /// <summary>The next token, reading more of the stream as needed; None after the last token of the body.</summary>
        private async Task<JsonTokenType> NextAsync(StringAs stringAs, CancellationToken cancellationToken)
        {
            while (!TryReadToken(stringAs))
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            return _tokenType;
        }

        /// <summary>Reads one token from the buffered bytes; false when they hold no complete token yet.</summary>
        private bool TryReadToken(StringAs stringAs)
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
            _bytes = null;
            _integer = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when stringAs != StringAs.Nothing:
                    _text = reader.GetString();
                    break;
                case JsonTokenType.String when stringAs == StringAs.Text:
                    _text = reader.GetString();
                    break;
                case JsonTokenType.String when stringAs == StringAs.Base64:
                    _bytes = reader.GetBytesFromBase64();
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
        /// single token (a long base64 string) fills all of it.
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
                var larger = new byte[NextBufferSize(_buffer.Length)];
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

        /// <summary>Doubles while small, then grows by half: a 6 MB image's base64 ends in a buffer close to its size.</summary>
        private static int NextBufferSize(int current)
        {
            long next = current < 1024 * 1024 ? current * 2L : current + (current / 2L);
            if (next > int.MaxValue - 64)
            {
                throw new FormatException("A single value in the answer is larger than 2 GB.");
            }

            return (int)next;
        }

        private static DateTimeOffset FromUnixSeconds(long seconds)
        {
            try
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new FormatException("The answer's created time is out of range.", ex);
            }
        }
    }
}
