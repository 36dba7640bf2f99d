// A tiny HTTP forward proxy for the Security suite (compiled with Add-Type). It records every request it sees
// (method, target, Proxy-Authorization), can demand Basic credentials (407), forwards plain-http requests for any
// host to one upstream port on loopback (so a host name that does not resolve can only be reached through it),
// and answers CONNECT with 502 after recording it (the fake API speaks no TLS).
#nullable enable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.TestProxy
{
    public sealed class ProxiedRequest
    {
        public string Method { get; set; } = "";
        public string Target { get; set; } = "";
        public string ProxyAuthorization { get; set; } = "";
        public int Status { get; set; }
    }

    public sealed class ForwardingProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly int _upstreamPort;
        private readonly string? _expectedAuthorization;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public ForwardingProxy(int upstreamPort, string? user, string? password)
        {
            _upstreamPort = upstreamPort;
            if (!string.IsNullOrEmpty(user))
            {
                _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
            }

            _listener.Start();
            Address = new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port + "/");
            Task.Run(AcceptLoopAsync);
        }

        public Uri Address { get; }

        public ConcurrentQueue<ProxiedRequest> Requests { get; } = new ConcurrentQueue<ProxiedRequest>();

        public ProxiedRequest[] GetRequests() => Requests.ToArray();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    while (true)
                    {
                        var head = await ReadHeadAsync(stream).ConfigureAwait(false);
                        if (head is null)
                        {
                            return;
                        }

                        string[] requestLine = head[0].Split(' ');
                        var headers = new List<KeyValuePair<string, string>>();
                        for (int i = 1; i < head.Count; i++)
                        {
                            int colon = head[i].IndexOf(':');
                            if (colon > 0)
                            {
                                headers.Add(new KeyValuePair<string, string>(head[i].Substring(0, colon).Trim(), head[i].Substring(colon + 1).Trim()));
                            }
                        }

                        var seen = new ProxiedRequest
                        {
                            Method = requestLine[0],
                            Target = requestLine.Length > 1 ? requestLine[1] : "",
                            ProxyAuthorization = Header(headers, "Proxy-Authorization") ?? "",
                        };
                        Requests.Enqueue(seen);
                        long contentLength = long.TryParse(Header(headers, "Content-Length"), out long length) ? length : 0;

                        if (_expectedAuthorization != null && seen.ProxyAuthorization != _expectedAuthorization)
                        {
                            await Discard(stream, contentLength).ConfigureAwait(false);
                            seen.Status = 407;
                            await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n").ConfigureAwait(false);
                            continue;
                        }

                        if (seen.Method == "CONNECT")
                        {
                            seen.Status = 502;
                            await WriteAsync(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ConfigureAwait(false);
                            return;
                        }

                        seen.Status = 200;
                        await ForwardAsync(stream, seen.Method, new Uri(seen.Target), headers, contentLength).ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception)
                {
                    // A test proxy: a broken connection just ends.
                }
            }
        }

        private async Task ForwardAsync(NetworkStream client, string method, Uri target, List<KeyValuePair<string, string>> headers, long contentLength)
        {
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort).ConfigureAwait(false);
            NetworkStream server = upstream.GetStream();
            var head = new StringBuilder();
            head.Append(method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
            foreach (var header in headers)
            {
                if (header.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) ||
                    header.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            }

            head.Append("Connection: close\r\n\r\n");
            await WriteAsync(server, head.ToString()).ConfigureAwait(false);
            await Copy(client, server, contentLength).ConfigureAwait(false);
            await server.CopyToAsync(client).ConfigureAwait(false);
        }

        private static async Task<List<string>?> ReadHeadAsync(NetworkStream stream)
        {
            var lines = new List<string>();
            var line = new StringBuilder();
            byte[] one = new byte[1];
            while (true)
            {
                int read = await stream.ReadAsync(one, 0, 1).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                char c = (char)one[0];
                if (c == '\n')
                {
                    string text = line.ToString().TrimEnd('\r');
                    line.Clear();
                    if (text.Length == 0)
                    {
                        return lines.Count == 0 ? null : lines;
                    }

                    lines.Add(text);
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        private static async Task Copy(Stream from, Stream to, long count)
        {
            byte[] buffer = new byte[8192];
            while (count > 0)
            {
                int read = await from.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, count)).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await to.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                count -= read;
            }
        }

        private static Task Discard(Stream from, long count) => Copy(from, Stream.Null, count);

        private static Task WriteAsync(Stream stream, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            return stream.WriteAsync(bytes, 0, bytes.Length);
        }

        private static string? Header(List<KeyValuePair<string, string>> headers, string name)
        {
            foreach (var header in headers)
            {
                if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }
    }
}
