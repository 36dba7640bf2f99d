using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// A request body that knows whether it was handed to the connection in full: a failure before that is "not
    /// sent" (safe to repeat), a failure after it and before any answer is "the answer was lost" (the server may have
    /// processed and billed the request). It writes the <see cref="RequestBody"/> straight to the connection, afresh
    /// on every send (files read again), so a handler may send it twice; its Content-Length is the body's.
    /// </summary>
    internal sealed class RequestContent : HttpContent
    {
        private readonly RequestBody _body;
        private readonly CancellationToken _cancellationToken;
        private int _sent;

        /// <param name="cancellationToken">Stops the writing between chunks (netstandard2.0's HttpContent passes no token).</param>
        public RequestContent(RequestBody body, CancellationToken cancellationToken)
        {
            _body = body;
            _cancellationToken = cancellationToken;
        }

        /// <summary>True once the whole body was written to the connection.</summary>
        public bool Sent => Volatile.Read(ref _sent) == 1;

        /// <summary>A reference file that changed while the body was written: the attempt is abandoned, never retried.</summary>
        public InvalidDataException? Changed { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            try
            {
                await _body.WriteToAsync(stream, _cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                // HttpClient wraps what this throws as a failure to send; the caller looks here for the real reason.
                Changed = ex;
                throw;
            }

            await stream.FlushAsync(_cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _sent, 1);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
