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
    /// processed and billed the request). Serialised afresh on every send, so a handler may send it twice.
    /// </summary>
    internal sealed class RequestContent : HttpContent
    {
        private readonly byte[] _body;
        private int _sent;

        public RequestContent(byte[] body) => _body = body;

        /// <summary>True once the whole body was written to the connection.</summary>
        public bool Sent => Volatile.Read(ref _sent) == 1;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body, 0, _body.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            Volatile.Write(ref _sent, 1);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
