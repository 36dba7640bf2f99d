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
    /// token is cancelled is reported as <see cref="OperationCanceledException"/>, never as a broken body, so callers can
    /// tell a stop (Ctrl+C or their time-out) from a connection that broke on its own.
    /// </summary>
    internal static class BodyRead
    {
        private static readonly Action<object?> DisposeQuietly = state =>
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
                    return await stream.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("The read of the answer was stopped.", ex, cancellationToken);
                }
            }
        }
    }
}
