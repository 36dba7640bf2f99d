using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// A request's JSON body as it is written to the connection: the small fixed JSON around the image values, and
    /// each streamed image value (a file read in chunks, bytes or a data URI encoded as they are written). Its exact
    /// length is known before writing, and it can be written again for another attempt.
    /// </summary>
    public sealed class RequestBody
    {
        private readonly byte[] _json;
        private readonly IReadOnlyList<(int At, RequestImage Image)> _images;

        /// <param name="json">The body with each streamed image's value left empty ("").</param>
        /// <param name="images">Where each streamed value goes in <paramref name="json"/> (between its quotes), in order.</param>
        internal RequestBody(byte[] json, IReadOnlyList<(int At, RequestImage Image)> images)
        {
            _json = json;
            _images = images;
            long length = json.Length;
            foreach ((int _, RequestImage image) in images)
            {
                length += image.StreamedLength;
            }

            Length = length;
        }

        /// <summary>The body's length in bytes (its Content-Length).</summary>
        public long Length { get; }

        /// <summary>Throws <see cref="InvalidDataException"/> when a file changed since it was checked (call before each attempt).</summary>
        public void Verify()
        {
            foreach ((int _, RequestImage image) in _images)
            {
                image.Verify();
            }
        }

        /// <summary>Writes the whole body; cancellation is looked at between chunks (every 64 KB or less).</summary>
        public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
        {
            byte[] scratch = _images.Count > 0 ? RequestImage.NewScratch() : Array.Empty<byte>();
            int from = 0;
            foreach ((int at, RequestImage image) in _images)
            {
                await stream.WriteAsync(_json, from, at - from, cancellationToken).ConfigureAwait(false);
                await image.WriteAsync(stream, scratch, cancellationToken).ConfigureAwait(false);
                from = at;
            }

            await stream.WriteAsync(_json, from, _json.Length - from, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The whole body in memory (tests and small bodies only: this is what the streamed body avoids).</summary>
        public byte[] ToArray()
        {
            using var buffer = new MemoryStream();
            WriteToAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
            return buffer.ToArray();
        }
    }
}
