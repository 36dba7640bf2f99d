using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// One value of the request's image array as it goes on the wire, without its base64 held as text: an http(s)
    /// URL or a data URI given as a string (written from that string), a local file (read in chunks and
    /// base64-encoded as it is written, each time the body is written), or bytes in memory (encoded from the array).
    /// </summary>
    public abstract class RequestImage
    {
        /// <summary>Input bytes per chunk: a whole number of 3-byte groups, so every chunk but the last encodes without padding.</summary>
        internal const int ChunkBytes = 48 * 1024;

        private const int DisplayedChars = 48;

        /// <summary>A URL or a data URI, sent as the string it is.</summary>
        public static RequestImage FromText(string value) => new TextImage(value ?? throw new ArgumentNullException(nameof(value)));

        /// <summary>
        /// A checked local file, sent as data:image/<paramref name="mimeSubtype"/>;base64,... and read again for
        /// every attempt; it must still have <paramref name="length"/> bytes and <paramref name="lastWriteUtc"/>.
        /// </summary>
        /// <param name="head">The file's first bytes (64, or all of a smaller file), for the shortened -Debug form.</param>
        public static RequestImage FromFile(string path, string name, string mimeSubtype, long length, DateTime lastWriteUtc, byte[] head) =>
            new FileImage(path, name, mimeSubtype, length, lastWriteUtc, head);

        /// <summary>An image in memory (an earlier Base64Json result), sent as a data URI encoded from the array.</summary>
        public static RequestImage FromBytes(byte[] bytes, string mimeSubtype) => new BytesImage(bytes, mimeSubtype);

        /// <summary>The value as -Debug shows it: a long one shortened to its start and its length.</summary>
        public abstract string Display { get; }

        /// <summary>
        /// The value, if it is short or needs JSON escaping, for the writer to write itself; null when it is streamed
        /// (its exact length is <see cref="StreamedLength"/> and it needs no escaping).
        /// </summary>
        internal abstract string? Inline { get; }

        /// <summary>The bytes <see cref="WriteAsync"/> writes (between the quotes).</summary>
        internal abstract long StreamedLength { get; }

        /// <summary>Throws <see cref="InvalidDataException"/> when the value can no longer be sent as it was checked.</summary>
        internal virtual void Verify()
        {
        }

        /// <summary>Writes the value (without its quotes), honouring <paramref name="cancellationToken"/> between chunks.</summary>
        internal abstract Task WriteAsync(Stream stream, byte[] scratch, CancellationToken cancellationToken);

        public override string ToString() => Display;

        /// <summary>The -Debug form of a value of <paramref name="length"/> characters that starts with <paramref name="start"/>.</summary>
        internal static string Shorten(string start, long length) =>
            length <= DisplayedChars * 2 ? start : $"{start.Substring(0, Math.Min(start.Length, DisplayedChars))}...({length:N0} chars)";

        /// <summary>Base64 characters for <paramref name="bytes"/> bytes, padded.</summary>
        internal static long Base64Length(long bytes) => (bytes + 2) / 3 * 4;

        /// <summary>Encodes <paramref name="count"/> bytes of <paramref name="input"/> as base64 into the connection.</summary>
        private protected static Task WriteBase64Async(Stream stream, byte[] input, int offset, int count, char[] chars, byte[] scratch, CancellationToken cancellationToken)
        {
            // Convert (not System.Buffers.Text.Base64): the same answer on every runtime the module loads in.
            int length = Convert.ToBase64CharArray(input, offset, count, chars, 0);
            int written = Encoding.ASCII.GetBytes(chars, 0, length, scratch, 0);
            return stream.WriteAsync(scratch, 0, written, cancellationToken);
        }

        /// <summary>A scratch buffer large enough for one encoded chunk.</summary>
        internal static byte[] NewScratch() => new byte[Base64Length(ChunkBytes)];

        private sealed class TextImage : RequestImage
        {
            private const int StreamFrom = 4096;
            private readonly string _value;
            private readonly bool _streamed;

            public TextImage(string value)
            {
                _value = value;
                _streamed = value.Length >= StreamFrom && IsPlainAscii(value);
            }

            public override string Display => _value.Length <= DisplayedChars * 2 ? _value : Shorten(_value, _value.Length);

            internal override string? Inline => _streamed ? null : _value;

            internal override long StreamedLength => _streamed ? _value.Length : 0;

            internal override async Task WriteAsync(Stream stream, byte[] scratch, CancellationToken cancellationToken)
            {
                for (int start = 0; start < _value.Length; start += scratch.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = Math.Min(scratch.Length, _value.Length - start);
                    int written = Encoding.ASCII.GetBytes(_value, start, count, scratch, 0);
                    await stream.WriteAsync(scratch, 0, written, cancellationToken).ConfigureAwait(false);
                }
            }

            /// <summary>Printable ASCII without a quote or backslash: JSON carries it as it is (a data URI always is).</summary>
            private static bool IsPlainAscii(string value)
            {
                foreach (char c in value)
                {
                    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        private abstract class Base64Image : RequestImage
        {
            private readonly string _prefix;
            private readonly string _display;

            protected Base64Image(string mimeSubtype, long length, byte[] head)
            {
                _prefix = $"data:image/{mimeSubtype};base64,";
                StreamedLength = _prefix.Length + Base64Length(length);
                // The whole value when the head is the whole image, else enough of it for the shortened form.
                string start = _prefix + Convert.ToBase64String(head, 0, length <= head.Length ? (int)length : Math.Min(head.Length, 36) / 3 * 3);
                _display = length <= head.Length && start.Length <= DisplayedChars * 2 ? start : Shorten(start, StreamedLength);
            }

            public override string Display => _display;

            internal override string? Inline => null;

            internal override long StreamedLength { get; }

            internal override async Task WriteAsync(Stream stream, byte[] scratch, CancellationToken cancellationToken)
            {
                int written = Encoding.ASCII.GetBytes(_prefix, 0, _prefix.Length, scratch, 0);
                await stream.WriteAsync(scratch, 0, written, cancellationToken).ConfigureAwait(false);
                await WritePayloadAsync(stream, new char[Base64Length(ChunkBytes)], scratch, cancellationToken).ConfigureAwait(false);
            }

            protected abstract Task WritePayloadAsync(Stream stream, char[] chars, byte[] scratch, CancellationToken cancellationToken);
        }

        private sealed class BytesImage : Base64Image
        {
            private readonly byte[] _bytes;

            public BytesImage(byte[] bytes, string mimeSubtype)
                : base(mimeSubtype, bytes.Length, bytes)
            {
                _bytes = bytes;
            }

            protected override async Task WritePayloadAsync(Stream stream, char[] chars, byte[] scratch, CancellationToken cancellationToken)
            {
                for (int offset = 0; offset < _bytes.Length; offset += ChunkBytes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await WriteBase64Async(stream, _bytes, offset, Math.Min(ChunkBytes, _bytes.Length - offset), chars, scratch, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private sealed class FileImage : Base64Image
        {
            private readonly string _path;
            private readonly string _name;
            private readonly long _length;
            private readonly DateTime _lastWriteUtc;

            public FileImage(string path, string name, string mimeSubtype, long length, DateTime lastWriteUtc, byte[] head)
                : base(mimeSubtype, length, head)
            {
                _path = path;
                _name = name;
                _length = length;
                _lastWriteUtc = lastWriteUtc;
            }

            internal override void Verify()
            {
                var file = new FileInfo(_path);
                if (!file.Exists)
                {
                    throw Changed("no longer exists");
                }

                if (file.Length != _length || file.LastWriteTimeUtc != _lastWriteUtc)
                {
                    throw Changed($"is now {file.Length:N0} bytes, last written {file.LastWriteTimeUtc:u} (it was {_length:N0} bytes, {_lastWriteUtc:u})");
                }
            }

            protected override async Task WritePayloadAsync(Stream stream, char[] chars, byte[] scratch, CancellationToken cancellationToken)
            {
                Verify();
                FileStream file;
                try
                {
                    file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, useAsync: false);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Changed($"could not be opened again ({ex.Message})");
                }

                using (file)
                {
                    var chunk = new byte[ChunkBytes];
                    long total = 0;
                    while (true)
                    {
                        cancellationToken.ThrowIfCancellationRequested();

                        // A whole chunk (or the end), so only the last chunk can carry padding.
                        int filled = 0;
                        int read;
                        while (filled < chunk.Length && (read = await file.ReadAsync(chunk, filled, chunk.Length - filled, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            filled += read;
                        }

                        total += filled;
                        if (total > _length)
                        {
                            throw Changed("grew while it was being sent");
                        }

                        if (filled == 0)
                        {
                            break;
                        }

                        await WriteBase64Async(stream, chunk, 0, filled, chars, scratch, cancellationToken).ConfigureAwait(false);
                        if (filled < chunk.Length)
                        {
                            break;
                        }
                    }

                    if (total != _length)
                    {
                        throw Changed("shrank while it was being sent");
                    }
                }
            }

            private InvalidDataException Changed(string how) =>
                new InvalidDataException(
                    $"The reference image file '{_name}' {how}: it changed after it was checked, so the request was not sent with it. Run the command again to send the file as it is now.");
        }
    }
}
