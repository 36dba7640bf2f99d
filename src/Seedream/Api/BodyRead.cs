using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// One read from a response body that a cancelled token can always stop. On .NET Framework (Windows PowerShell)
    /// HttpClientHandler's response stream ignores the token given to ReadAsync, so a stalled body would outlive
    /// -TimeoutSec and Ctrl+C; here the token also disposes the stream, which breaks the read. A read that fails once the
    /// token is cancelled (or that then ends as if the body had ended) is reported as <see cref="OperationCanceledException"/>, never as a broken body, so callers can
    /// tell a stop (Ctrl+C or their time-out) from a connection that broke on its own.
    /// </summary>
    internal static class BodyRead
    {
        /// <summary>The callback a token runs to stop a read: disposes the stream and never throws (it runs on the thread that cancels).</summary>
        internal static readonly Action<object?> DisposeQuietly = state =>
        {
            try
            {
                ((IDisposable)state!).Dispose();
            }
            catch (Exception)
            {
                // Runs on the thread that cancels (a timer, Ctrl+C): it must never throw there.
            }
        };

        public static async Task<int> ReadAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (cancellationToken.Register(DisposeQuietly, stream))
            {
                try
                {
                    int read = await stream.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                    if (read == 0 && cancellationToken.IsCancellationRequested)
                    {
                        // Some streams (Mono's, .NET Framework's) end quietly when disposed mid-read: that end is the stop.
                        throw new OperationCanceledException("The read of the answer was stopped.", cancellationToken);
                    }

                    return read;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The read of the answer was stopped.", ex, cancellationToken);
                }
            }
        }
    }
}
