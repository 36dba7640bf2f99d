using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Imaging;

namespace Seedream.Api
{
    /// <summary>
    /// Fetches a generated image from its hosted URL. The API key is never sent: the image host is not the API.
    /// Only http(s) (a redirect elsewhere, file:// say, is refused), at most <see cref="MaxBytes"/>, never silent for
    /// longer than <see cref="IdleTimeout"/>; retried like API calls when nothing arrived or the download broke off.
    /// Without a Content-Length the image's own structure tells whether it arrived whole (<see cref="ImageStructure"/>).
    /// </summary>
    public sealed class ImageDownloader
    {
        private readonly HttpClient _http;

        public ImageDownloader(HttpClient http, RetryPolicy? retryPolicy = null)
        {
            _http = http;
            RetryPolicy = retryPolicy ?? new RetryPolicy();
        }

        public RetryPolicy RetryPolicy { get; }
        public long MaxBytes { get; set; } = 100L * 1024 * 1024;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);

        /// <summary>The longest the download may send nothing before it counts as stalled (and is tried again).</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>Redirects followed before the download is refused.</summary>
        public const int MaxRedirects = 5;

        /// <summary>
        /// Copies the image into <paramref name="destination"/>; reports (bytes so far, total or null). A download that
        /// fails before the first byte, or breaks off mid-way, is tried again (a GET of an image is free and repeatable);
        /// a seekable destination is emptied before the next attempt.
        /// </summary>
        public async Task DownloadAsync(Uri url, Stream destination, Action<long, long?>? progress, Action<RetryNotice>? retrying, CancellationToken cancellationToken)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new SeedreamDownloadException(
                    $"Only http and https image URLs can be downloaded; '{(url.IsAbsoluteUri ? url.Scheme : "relative")}' cannot.", DownloadFailure.UnsupportedScheme);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            int maxAttempts = RetryPolicy.MaxRetryCount + 1;
            for (int attempt = 1; ; attempt++)
            {
                HttpResponseMessage? response = null;
                string? retryReason = null;
                try
                {
                    response = await SendFollowingRedirectsAsync(url, timeout.Token).ConfigureAwait(false);
                    int status = (int)response.StatusCode;
                    if (!response.IsSuccessStatusCode)
                    {
                        if (attempt < maxAttempts && RetryPolicy.IsRetryable(status, null, response.Headers))
                        {
                            TimeSpan delay = RetryPolicy.GetDelay(attempt, response.Headers, DateTimeOffset.UtcNow);
                            retrying?.Invoke(new RetryNotice(attempt, maxAttempts, $"HTTP {status}", delay));
                            await Task.Delay(delay, timeout.Token).ConfigureAwait(false);
                            continue;
                        }

                        bool expired = status == 403 || status == 404 || status == 410;
                        string hint = expired
                            ? " Hosted image URLs expire 24 hours after creation; generate the image again or save with -ResponseFormat Base64Json."
                            : "";
                        throw new SeedreamDownloadException(
                            $"Downloading {DescribeUrl(url)} failed with HTTP {status} {response.ReasonPhrase} after {attempt} attempt(s).{hint}",
                            expired ? DownloadFailure.NotFound : DownloadFailure.HttpError, status) { Attempts = attempt };
                    }

                    long? total = response.Content.Headers.ContentLength;
                    if (total > MaxBytes)
                    {
                        throw TooLarge(url, $"is {total:N0} bytes", attempt);
                    }

                    using Stream content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    await CopyAsync(content, destination, total, progress, url, attempt, timeout.Token).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (!(ex is SeedreamException) && timeout.IsCancellationRequested)
                {
                    // A stop (a read broken by disposing its stream included) is a cancellation or the time-out.
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        throw TimedOut(url, attempt);
                    }

                    if (ex is OperationCanceledException)
                    {
                        throw;
                    }

                    throw new OperationCanceledException("The download was cancelled.", ex, cancellationToken);
                }
                catch (Exception ex) when (response is null && ConnectFailure.Classify(ex, timeout.Token, requestSent: false) is ConnectFailureKind failure && failure != ConnectFailureKind.None)
                {
                    string reason = ConnectFailure.Describe(failure, ex);
                    if (attempt >= maxAttempts || failure == ConnectFailureKind.Tls)
                    {
                        throw new SeedreamTransportException(
                            $"Downloading {DescribeUrl(url)} failed after {attempt} attempt(s): {reason}", mayHaveBeenBilled: false, ex) { Attempts = attempt };
                    }

                    retryReason = "connection failed: " + reason;
                }
                catch (TimeoutException ex) when (response != null)
                {
                    if (attempt >= maxAttempts || !ResetDestination(destination))
                    {
                        throw new SeedreamTimeoutException(
                            $"Downloading {DescribeUrl(url)} stalled after {attempt} attempt(s): {ex.Message}", mayHaveBeenBilled: false) { Attempts = attempt };
                    }

                    retryReason = "the download stalled: " + ex.Message;
                }
                catch (Exception ex) when (response != null && (ex is HttpRequestException || ex is IOException))
                {
                    if (attempt >= maxAttempts || !ResetDestination(destination))
                    {
                        throw new SeedreamTransportException(
                            $"Downloading {DescribeUrl(url)} failed after {attempt} attempt(s): {ex.Message}", mayHaveBeenBilled: false, ex) { Attempts = attempt };
                    }

                    retryReason = "the download broke off: " + ex.Message;
                }
                finally
                {
                    response?.Dispose();
                }

                TimeSpan wait = RetryPolicy.GetDelay(attempt, null, DateTimeOffset.UtcNow);
                retrying?.Invoke(new RetryNotice(attempt, maxAttempts, retryReason ?? "failed", wait));
                try
                {
                    await Task.Delay(wait, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut(url, attempt);
                }
            }
        }

        private SeedreamTimeoutException TimedOut(Uri url, int attempt) =>
            new SeedreamTimeoutException(
                $"Downloading {DescribeUrl(url)} did not finish within {Timeout.TotalSeconds:0.#} s (-TimeoutSec).", false) { Attempts = attempt };

        private static bool ResetDestination(Stream destination)
        {
            if (!destination.CanSeek)
            {
                return false;
            }

            destination.SetLength(0);
            destination.Position = 0;
            return true;
        }

        private SeedreamDownloadException TooLarge(Uri url, string what, int attempt) =>
            new SeedreamDownloadException(
                $"The image at {DescribeUrl(url)} {what}, over the {MaxBytes:N0}-byte cap (-MaxDownloadBytes); nothing was saved.",
                DownloadFailure.TooLarge) { Attempts = attempt };

        private async Task CopyAsync(Stream content, Stream destination, long? total, Action<long, long?>? progress, Uri url, int attempt, CancellationToken cancellationToken)
        {
            using var source = new AnswerStream(content, long.MaxValue, IdleTimeout, "the download");
            var edges = total is null ? new ImageEdges() : null;
            byte[] buffer = new byte[81920];
            long copied = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                copied += read;
                if (copied > MaxBytes)
                {
                    throw TooLarge(url, "grew past the cap", attempt);
                }

                edges?.Add(buffer, 0, read);
                await destination.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                progress?.Invoke(copied, total);
            }

            if (total is long expected && copied != expected)
            {
                throw new IOException($"The download ended after {copied:N0} of {expected:N0} bytes.");
            }

            // No length to compare against: a connection closed early looks like the end, so the image itself must say it is whole.
            if (edges?.CheckComplete() is string problem)
            {
                throw new IOException($"The download ended after {copied:N0} bytes, before the image did: {problem}.");
            }
        }

        /// <summary>
        /// GETs <paramref name="url"/>, following up to <see cref="MaxRedirects"/> redirects itself (the handlers follow
        /// none): only to http(s), never from https down to http, so an image host cannot send the download to file:// or
        /// elsewhere.
        /// </summary>
        private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri url, CancellationToken cancellationToken)
        {
            Uri current = url;
            for (int redirects = 0; ; redirects++)
            {
                HttpResponseMessage response;
                using (var message = new HttpRequestMessage(HttpMethod.Get, current))
                {
                    response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }

                int status = (int)response.StatusCode;
                Uri? location = response.Headers.Location;
                if (!(status == 301 || status == 302 || status == 303 || status == 307 || status == 308) || location is null)
                {
                    return response;
                }

                response.Dispose();
                Uri target = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
                {
                    throw Refused(url, $"was redirected to a '{target.Scheme}' URL; only http and https are followed");
                }

                if (current.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
                {
                    throw Refused(url, "was redirected from https to plain http; such a redirect is not followed");
                }

                if (redirects >= MaxRedirects)
                {
                    throw Refused(url, $"was redirected more than {MaxRedirects} times");
                }

                current = target;
            }
        }

        private static SeedreamDownloadException Refused(Uri url, string why) =>
            new SeedreamDownloadException($"Downloading {DescribeUrl(url)} {why}, so nothing was saved.", DownloadFailure.UnsupportedScheme) { Attempts = 1 };

        /// <summary>Scheme, host and path only: signed query strings stay out of messages.</summary>
        public static string DescribeUrl(Uri url) => url.GetLeftPart(UriPartial.Path);
    }
}
