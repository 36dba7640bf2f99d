using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;

namespace Seedream.Api
{
    /// <summary>How a request that got no answer at all failed: worth another attempt, or not.</summary>
    internal enum ConnectFailureKind
    {
        /// <summary>Not a connection failure (an answer arrived, or the caller or the time-out stopped it).</summary>
        None,

        /// <summary>No connection was made, or it failed before the whole request was sent: another attempt is safe.</summary>
        Connection,

        /// <summary>SocketsHttpHandler's ConnectTimeout (-ConnectTimeoutSec) expired: retried like a connection failure.</summary>
        ConnectTimeout,

        /// <summary>The TLS handshake failed (certificate problems): retrying cannot help.</summary>
        Tls,

        /// <summary>
        /// The whole request was sent, then the connection ended before any answer (a gateway's idle time-out during a
        /// long generation): the server may have processed it and billed it, so it is not repeated by default.
        /// </summary>
        AnswerLost,
    }

    /// <summary>Sorts the exceptions HttpClient raises before any response into <see cref="ConnectFailureKind"/>.</summary>
    internal static class ConnectFailure
    {
        /// <param name="ex">What SendAsync raised.</param>
        /// <param name="stopToken">The token that bounds the call (the caller's linked with the time-out).</param>
        /// <param name="requestSent">Whether the request body had been handed to the connection in full.</param>
        public static ConnectFailureKind Classify(Exception ex, CancellationToken stopToken, bool requestSent)
        {
            if (stopToken.IsCancellationRequested)
            {
                return ConnectFailureKind.None;
            }

            if (ex is HttpRequestException || ex is IOException || ex is WebException)
            {
                if (HasInner<AuthenticationException>(ex))
                {
                    return ConnectFailureKind.Tls;
                }

                return requestSent && !FailedBeforeSending(ex) ? ConnectFailureKind.AnswerLost : ConnectFailureKind.Connection;
            }

            // SocketsHttpHandler reports its ConnectTimeout as a cancellation that nobody asked for.
            return ex is OperationCanceledException ? ConnectFailureKind.ConnectTimeout : ConnectFailureKind.None;
        }

        /// <summary>
        /// True when the failure says no request can have reached the server: the name did not resolve, or the
        /// connection was refused or could not be made. Some handlers (.NET Framework's, which buffers the body) take
        /// the body before they connect, so "sent" alone does not prove the request left.
        /// </summary>
        public static bool FailedBeforeSending(Exception ex)
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                switch (e)
                {
                    case SocketException socket when IsConnectError(socket.SocketErrorCode):
                        return true;
                    case WebException web when web.Status == WebExceptionStatus.ConnectFailure ||
                                               web.Status == WebExceptionStatus.NameResolutionFailure ||
                                               web.Status == WebExceptionStatus.ProxyNameResolutionFailure:
                        return true;
                }

                // .NET 8+ says what failed on HttpRequestException.HttpRequestError (not visible to netstandard2.0).
                if (e is HttpRequestException && e.GetType().GetProperty("HttpRequestError")?.GetValue(e)?.ToString() is string error &&
                    (error == "NameResolutionError" || error == "ConnectionError" || error == "ProxyTunnelError"))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsConnectError(SocketError error) =>
            error == SocketError.ConnectionRefused || error == SocketError.HostNotFound || error == SocketError.HostUnreachable ||
            error == SocketError.NetworkUnreachable || error == SocketError.NetworkDown || error == SocketError.TryAgain ||
            error == SocketError.NoData || error == SocketError.AddressNotAvailable || error == SocketError.HostDown;

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
