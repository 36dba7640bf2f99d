using System;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;

namespace Seedream.Api
{
    /// <summary>How a request that got no answer at all failed: worth another attempt, or not.</summary>
    internal enum ConnectFailureKind
    {
        /// <summary>Not a connection failure (an answer arrived, or the caller or the time-out stopped it).</summary>
        None,

        /// <summary>The connection failed or dropped before an answer: another attempt is safe.</summary>
        Connection,

        /// <summary>SocketsHttpHandler's ConnectTimeout (-ConnectTimeoutSec) expired: retried like a connection failure.</summary>
        ConnectTimeout,

        /// <summary>The TLS handshake failed (certificate problems): retrying cannot help.</summary>
        Tls,
    }

    /// <summary>Sorts the exceptions HttpClient raises before any response into <see cref="ConnectFailureKind"/>.</summary>
    internal static class ConnectFailure
    {
        /// <param name="ex">What SendAsync raised.</param>
        /// <param name="stopToken">The token that bounds the call (the caller's linked with the time-out).</param>
        public static ConnectFailureKind Classify(Exception ex, CancellationToken stopToken)
        {
            if (stopToken.IsCancellationRequested)
            {
                return ConnectFailureKind.None;
            }

            if (ex is HttpRequestException)
            {
                return HasInner<AuthenticationException>(ex) ? ConnectFailureKind.Tls : ConnectFailureKind.Connection;
            }

            // SocketsHttpHandler reports its ConnectTimeout as a cancellation that nobody asked for.
            return ex is OperationCanceledException ? ConnectFailureKind.ConnectTimeout : ConnectFailureKind.None;
        }

        /// <summary>The sentence that says why the connection failed, for messages and retry notices.</summary>
        public static string Describe(ConnectFailureKind kind, Exception ex) => kind switch
        {
            ConnectFailureKind.ConnectTimeout => "the connection was not made within the connect time-out (-ConnectTimeoutSec)",
            ConnectFailureKind.Tls => "the TLS/certificate check failed (" + Innermost(ex).Message + ")",
            _ => Innermost(ex).Message,
        };

        private static bool HasInner<T>(Exception ex)
            where T : Exception
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is T)
                {
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }
    }
}
