using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;

namespace Seedream.Api
{
    /// <summary>How connections are made: proxy, connect time-out, and who is asking. Equal settings share one HttpClient.</summary>
    public sealed class ConnectionSettings : IEquatable<ConnectionSettings>
    {
        public Uri? Proxy { get; set; }
        public NetworkCredential? ProxyCredential { get; set; }
        public bool ProxyUseDefaultCredentials { get; set; }
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The User-Agent of every request and download made with the client (the cmdlets give
        /// "Seedream-PowerShell/version (PowerShell edition version; OS)"); none when empty. Characters a header cannot
        /// carry are dropped.
        /// </summary>
        public string? UserAgent { get; set; }

        /// <summary>
        /// A handler that answers in process instead of the network (the module's simulator): a client over it opens no
        /// socket, and is never cached (proxy and time-out settings do not apply).
        /// </summary>
        public HttpMessageHandler? InProcessHandler { get; set; }

        public bool Equals(ConnectionSettings? other) =>
            other != null &&
            Equals(Proxy, other.Proxy) &&
            ProxyUseDefaultCredentials == other.ProxyUseDefaultCredentials &&
            ConnectTimeout == other.ConnectTimeout &&
            string.Equals(UserAgent, other.UserAgent, StringComparison.Ordinal) &&
            ReferenceEquals(InProcessHandler, other.InProcessHandler) &&
            SameCredential(ProxyCredential, other.ProxyCredential);

        private static bool SameCredential(NetworkCredential? a, NetworkCredential? b) =>
            a is null || b is null
                ? a is null && b is null
                : a.UserName == b.UserName && a.Domain == b.Domain && a.Password == b.Password;

        public override bool Equals(object? obj) => Equals(obj as ConnectionSettings);

        public override int GetHashCode() =>
            ((Proxy?.GetHashCode() ?? 0) * 397) ^ ConnectTimeout.GetHashCode() ^ (ProxyUseDefaultCredentials ? 1 : 0);
    }

    /// <summary>
    /// One HttpClient per distinct <see cref="ConnectionSettings"/>, made on first use and kept for the process,
    /// following no redirects (the API has no reason to redirect a POST; <see cref="ImageDownloader"/> follows its own,
    /// to http(s) only),
    /// so calls and cmdlets reuse connections and nothing network-related is built at import. Each client is built
    /// once even when several threads ask for it together, and at most <see cref="Capacity"/> are kept: past that the
    /// least recently used one is dropped from the cache (not disposed: a call may still be using it; its idle
    /// connections close on their own).
    /// </summary>
    public static class HttpClientCache
    {
        /// <summary>Parallel connections to one host; well above any sensible -ThrottleLimit.</summary>
        internal const int MaxConnectionsPerServer = 64;

        /// <summary>Distinct connection settings kept; a session rarely uses more than two or three.</summary>
        internal const int Capacity = 16;

        private static readonly ConcurrentDictionary<ConnectionSettings, Entry> Clients = new ConcurrentDictionary<ConnectionSettings, Entry>();
        private static readonly object TrimLock = new object();
        private static long _clock;

        /// <summary>The type of SocketsHttpHandler on .NET 5 or later (PowerShell 7); null on .NET Framework and Mono.</summary>
        private static readonly Type? SocketsHandlerType =
            Environment.Version.Major >= 5 ? typeof(HttpClientHandler).Assembly.GetType("System.Net.Http.SocketsHttpHandler", throwOnError: false) : null;

        internal static int Count => Clients.Count;

        public static HttpClient Get(ConnectionSettings settings)
        {
            if (settings.InProcessHandler != null)
            {
                return Create(settings.InProcessHandler, settings.UserAgent);
            }

            Entry entry = Clients.GetOrAdd(settings, key => new Entry(key));
            Interlocked.Exchange(ref entry.LastUse, Interlocked.Increment(ref _clock));
            HttpClient client = entry.Client.Value;
            if (Clients.Count > Capacity)
            {
                Trim();
            }

            return client;
        }

        private static void Trim()
        {
            lock (TrimLock)
            {
                while (Clients.Count > Capacity)
                {
                    ConnectionSettings oldest = Clients.OrderBy(pair => Interlocked.Read(ref pair.Value.LastUse)).First().Key;
                    Clients.TryRemove(oldest, out _);
                }
            }
        }

        private static HttpClient Create(ConnectionSettings settings) => Create(CreateHandler(settings), settings.UserAgent, disposeHandler: true);

        private static HttpClient Create(HttpMessageHandler handler, string? userAgentSetting, bool disposeHandler = false)
        {
            var client = new HttpClient(handler, disposeHandler)
            {
                // Each call bounds itself with its own token; HttpClient's own limit would cut long streams.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            string userAgent = HeaderSafe(userAgentSetting);
            if (userAgent.Length > 0)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
            }

            return client;
        }

        /// <summary>Printable ASCII only (no CR/LF, nothing a header cannot carry), at most 256 characters.</summary>
        internal static string HeaderSafe(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return "";
            }

            var text = new System.Text.StringBuilder(Math.Min(value!.Length, 256));
            foreach (char c in value)
            {
                if (text.Length == 256)
                {
                    break;
                }

                if (c >= ' ' && c <= '~')
                {
                    text.Append(c);
                }
            }

            return text.ToString().Trim();
        }

        /// <summary>The handler a client gets: SocketsHttpHandler on PowerShell 7, HttpClientHandler on Windows PowerShell.</summary>
        internal static HttpMessageHandler CreateHandler(ConnectionSettings settings)
        {
            IWebProxy? proxy = null;
            if (settings.Proxy != null)
            {
                // Only Credentials is set: WebProxy.UseDefaultCredentials = false would clear the credential again.
                proxy = new WebProxy(settings.Proxy)
                {
                    Credentials = settings.ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : settings.ProxyCredential,
                };
            }

            // SocketsHttpHandler (PowerShell 7) has a connect time-out and pooled-connection lifetime; Windows
            // PowerShell's HttpClientHandler does not, and there the whole-request time-out covers connecting.
            if (SocketsHandlerType != null && Activator.CreateInstance(SocketsHandlerType) is HttpMessageHandler sockets)
            {
                Set(sockets, "ConnectTimeout", settings.ConnectTimeout);
                Set(sockets, "PooledConnectionLifetime", TimeSpan.FromMinutes(5));
                Set(sockets, "AutomaticDecompression", DecompressionMethods.GZip | DecompressionMethods.Deflate);
                Set(sockets, "AllowAutoRedirect", false);
                if (proxy != null)
                {
                    Set(sockets, "Proxy", proxy);
                    Set(sockets, "UseProxy", true);
                }
                else if (settings.ProxyUseDefaultCredentials)
                {
                    Set(sockets, "DefaultProxyCredentials", CredentialCache.DefaultCredentials);
                }

                return sockets;
            }

            return CreateClientHandler(settings, proxy);
        }

        /// <summary>The handler for Windows PowerShell (.NET Framework), where SocketsHttpHandler does not exist.</summary>
        internal static HttpClientHandler CreateClientHandler(ConnectionSettings settings, IWebProxy? proxy)
        {
            var handler = new HttpClientHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                AllowAutoRedirect = false,
            };
            try
            {
                // .NET Framework allows 2 connections per host by default, which would cap -ThrottleLimit at 2.
                handler.MaxConnectionsPerServer = MaxConnectionsPerServer;
            }
            catch (PlatformNotSupportedException)
            {
                // Left at the platform's own limit.
            }

            if (proxy != null)
            {
                handler.Proxy = proxy;
                handler.UseProxy = true;
            }
            else if (settings.ProxyUseDefaultCredentials)
            {
                handler.DefaultProxyCredentials = CredentialCache.DefaultCredentials;
            }

            return handler;
        }

        private static void Set(object target, string property, object value) =>
            target.GetType().GetProperty(property)?.SetValue(target, value);

        /// <summary>A cached client: built by the first caller that needs it, exactly once (<see cref="Lazy{T}"/>).</summary>
        private sealed class Entry
        {
            public Entry(ConnectionSettings settings) =>
                Client = new Lazy<HttpClient>(() => Create(settings), LazyThreadSafetyMode.ExecutionAndPublication);

            public Lazy<HttpClient> Client { get; }

            /// <summary>When it was last asked for, on <see cref="_clock"/>.</summary>
            public long LastUse;
        }
    }
}
