using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// The decoded bytes of an inline (b64_json) image, kept as the pieces the decoder filled rather than copied into
    /// one array: an unstreamed answer holds every image until the answer ends, and the copy would hold each image twice
    /// for a moment. Saving, hashing and header reading go over the pieces; <see cref="ToArray"/> joins them once, when
    /// something asks for a byte[] (a user reading <c>ImageBytes</c>, an inline result piped into an edit), and then
    /// keeps only the joined array. Not changed once made.
    /// </summary>
    public sealed class ImagePayload
    {
        private readonly object _gate = new object();
        private byte[][] _pieces;
        private int _pieceLength;

        /// <param name="pieces">The pieces in order; every one but the last holds <paramref name="pieceLength"/> bytes.</param>
        internal ImagePayload(byte[][] pieces, int pieceLength, long length)
        {
            _pieces = pieces;
            _pieceLength = pieceLength;
            Length = length;
        }

        /// <summary>Wraps an array as it is (not copied): <see cref="ToArray"/> answers the same array.</summary>
        public static ImagePayload FromArray(byte[] bytes) =>
            new ImagePayload(new[] { bytes ?? throw new ArgumentNullException(nameof(bytes)) }, bytes.Length, bytes.Length);

        public long Length { get; }

        /// <summary>The bytes as one array: joined on the first call, then the same array (the pieces are let go).</summary>
        public byte[] ToArray()
        {
            lock (_gate)
            {
                if (_pieces.Length == 1 && _pieces[0].Length == Length)
                {
                    return _pieces[0];
                }

                var joined = new byte[Length];
                int offset = 0;
                foreach (byte[] piece in _pieces)
                {
                    int count = (int)Math.Min(_pieceLength, Length - offset);
                    Buffer.BlockCopy(piece, 0, joined, offset, count);
                    offset += count;
                }

                _pieces = new[] { joined };
                _pieceLength = joined.Length;
                return joined;
            }
        }

        /// <summary>Writes every byte to <paramref name="destination"/>, piece by piece.</summary>
        public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
        {
            byte[][] pieces;
            int pieceLength;
            lock (_gate)
            {
                pieces = _pieces;
                pieceLength = _pieceLength;
            }

            long left = Length;
            foreach (byte[] piece in pieces)
            {
                int count = (int)Math.Min(pieceLength, left);
                await destination.WriteAsync(piece, 0, count, cancellationToken).ConfigureAwait(false);
                left -= count;
            }
        }

        /// <summary>A read-only, seekable view of the bytes (for header reading and hashing); no copy is made.</summary>
        public Stream OpenRead()
        {
            lock (_gate)
            {
                return new PieceStream(_pieces, _pieceLength, Length);
            }
        }

        private sealed class PieceStream : Stream
        {
            private readonly byte[][] _pieces;
            private readonly int _pieceLength;
            private readonly long _length;
            private long _position;

            public PieceStream(byte[][] pieces, int pieceLength, long length)
            {
                _pieces = pieces;
                _pieceLength = pieceLength;
                _length = length;
            }

            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => false;
            public override long Length => _length;

            public override long Position
            {
                get => _position;
                set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int total = 0;
                while (count > 0 && _position < _length)
                {
                    int piece = (int)(_position / _pieceLength);
                    int within = (int)(_position % _pieceLength);
                    int take = (int)Math.Min(Math.Min(count, _pieceLength - within), _length - _position);
                    Buffer.BlockCopy(_pieces[piece], within, buffer, offset, take);
                    _position += take;
                    offset += take;
                    count -= take;
                    total += take;
                }

                return total;
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                Position = origin switch
                {
                    SeekOrigin.Begin => offset,
                    SeekOrigin.Current => _position + offset,
                    _ => _length + offset,
                };
                return _position;
            }

            public override void Flush()
            {
            }

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
