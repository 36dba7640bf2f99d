using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>Where and as whom to call, and how patiently.</summary>
    public sealed class ClientOptions
    {
        public Uri BaseUri { get; set; } = new Uri("https://api.apiyi.com/v1");

        /// <summary>The key in plain text; it goes into the Authorization header and nowhere else.</summary>
        public string ApiKey { get; set; } = "";

        public RetryPolicy RetryPolicy { get; set; } = new RetryPolicy();

        /// <summary>Bounds a whole call: every attempt and every wait between them.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);

        /// <summary>The longest a stream may send nothing before it counts as dead.</summary>
        public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>The largest error body read; error bodies are short, and an HTML page is summarised.</summary>
        public int MaxErrorBodyBytes { get; set; } = 64 * 1024;
    }

    /// <summary>What a caller hears while a call runs. Every callback comes from a worker thread.</summary>
    public sealed class GenerationObserver
    {
        /// <summary>An image slot arrived (success or failure), in stream order or, unstreamed, in data[] order.</summary>
        public Action<GeneratedImage>? ImageReceived { get; set; }

        /// <summary>An attempt failed and another will follow after the wait.</summary>
        public Action<RetryNotice>? Retrying { get; set; }

        /// <summary>Diagnostic lines for -Debug; they never hold the key.</summary>
        public Action<string>? Trace { get; set; }
    }

    public sealed class RetryNotice
    {
        public RetryNotice(int attempt, int maxAttempts, string reason, TimeSpan delay)
        {
            Attempt = attempt;
            MaxAttempts = maxAttempts;
            Reason = reason;
            Delay = delay;
        }

        public int Attempt { get; }
        public int MaxAttempts { get; }
        public string Reason { get; }
        public TimeSpan Delay { get; }
    }

    /// <summary>
    /// Calls POST {base}/images/generations. Knows nothing of PowerShell: the cmdlets turn what it returns
    /// and raises into pipeline objects and error records.
    /// </summary>
    public sealed class SeedreamClient
    {
        private const string StreamSucceeded = "image_generation.partial_succeeded";
        private const string StreamFailed = "image_generation.partial_failed";
        private const string StreamCompleted = "image_generation.completed";

        private readonly HttpClient _http;
        private readonly ClientOptions _options;
        private readonly SharedBackoff _backoff;

        public SeedreamClient(HttpClient http, ClientOptions options, SharedBackoff? backoff = null)
        {
            _http = http;
            _options = options;
            _backoff = backoff ?? new SharedBackoff();
        }

        public Uri GenerationsUri => new Uri(_options.BaseUri.AbsoluteUri.TrimEnd('/') + "/images/generations");

        public async Task<GenerationResult> GenerateAsync(GenerationRequest request, GenerationObserver? observer, CancellationToken cancellationToken)
        {
            observer ??= new GenerationObserver();
            byte[] body = RequestBodyWriter.ToUtf8Json(request);
            observer.Trace?.Invoke($"POST {GenerationsUri} body: {RequestBodyWriter.ToDisplayJson(request)}");

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            var clock = Stopwatch.StartNew();
            int maxAttempts = _options.RetryPolicy.MaxRetryCount + 1;
            var result = new GenerationResult { Model = request.Model };
            GenerationObserver caller = observer;
            observer = new GenerationObserver
            {
                Retrying = caller.Retrying,
                Trace = caller.Trace,
                ImageReceived = image =>
                {
                    // Each slot learns the request id of its answer, so an error for it can name the request.
                    image.RequestId ??= result.RequestId;
                    caller.ImageReceived?.Invoke(image);
                },
            };

            for (int attempt = 1; ; attempt++)
            {
                result.Attempts = attempt;
                bool responded = false; // any status arrived (a 429 or 5xx too)
                bool accepted = false;  // a success status arrived: from here on the request may be billed
                TimeSpan? connectRetryDelay = null;
                try
                {
                    await _backoff.WaitAsync(timeout.Token).ConfigureAwait(false);
                    using HttpRequestMessage message = CreateMessage(body, request.Stream);
                    using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    responded = true;
                    result.StatusCode = (int)response.StatusCode;
                    result.RequestId = RequestIdOf(response);

                    if (response.IsSuccessStatusCode)
                    {
                        accepted = true;
                        if (request.Stream && IsEventStream(response))
                        {
                            await ReadStreamAsync(response, result, observer, timeout.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            await ReadBodyAsync(response, result, observer, timeout.Token).ConfigureAwait(false);
                        }

                        result.Elapsed = clock.Elapsed;
                        return result;
                    }

                    int status = (int)response.StatusCode;
                    ApiError error = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
                    if (attempt < maxAttempts && RetryPolicy.IsRetryable(status, error.Code, response.Headers))
                    {
                        TimeSpan delay = _options.RetryPolicy.GetDelay(attempt, response.Headers, DateTimeOffset.UtcNow);
                        TimeSpan left = _options.Timeout - clock.Elapsed;
                        if (RetryPolicy.ServerHint(response.Headers, DateTimeOffset.UtcNow) != null && delay >= left)
                        {
                            // Waiting would only end in a time-out that hides what the server said.
                            throw new SeedreamApiException(
                                DescribeApiError(status, error, result.RequestId, attempt) +
                                $" The server asked to wait {delay.TotalSeconds:0.#} s before retrying, longer than the {Math.Max(0, left.TotalSeconds):0.#} s left before -TimeoutSec; it was not retried.",
                                status, error) { Attempts = attempt, RequestId = result.RequestId };
                        }

                        if (status == 429)
                        {
                            // The command's other requests hold back too instead of hitting the limit meanwhile.
                            _backoff.PauseFor(delay);
                        }

                        observer.Retrying?.Invoke(new RetryNotice(attempt, maxAttempts, $"HTTP {status} {error.Code}", delay));
                        await Task.Delay(delay, timeout.Token).ConfigureAwait(false);
                        continue;
                    }

                    throw new SeedreamApiException(DescribeApiError(status, error, result.RequestId, attempt), status, error)
                    {
                        Attempts = attempt,
                        RequestId = result.RequestId,
                    };
                }
                catch (Exception ex) when (!responded && ConnectFailure.Classify(ex, timeout.Token) is ConnectFailureKind failure && failure != ConnectFailureKind.None)
                {
                    // Nothing came back: the request may never have arrived, so another attempt is safe, unless the
                    // TLS handshake failed, which no retry can mend.
                    string reason = ConnectFailure.Describe(failure, ex);
                    if (attempt >= maxAttempts || failure == ConnectFailureKind.Tls)
                    {
                        throw new SeedreamTransportException(
                            $"Could not reach {GenerationsUri.GetLeftPart(UriPartial.Authority)} after {attempt} attempt(s): {reason}",
                            mayHaveBeenBilled: false, ex) { Attempts = attempt };
                    }

                    connectRetryDelay = _options.RetryPolicy.GetDelay(attempt, null, DateTimeOffset.UtcNow);
                    observer.Retrying?.Invoke(new RetryNotice(attempt, maxAttempts, "connection failed: " + reason, connectRetryDelay.Value));
                }
                catch (Exception ex) when (!(ex is SeedreamException) && timeout.IsCancellationRequested)
                {
                    // Whatever broke once the token was cancelled (a read stopped by disposing its stream included)
                    // is the stop itself: Ctrl+C is a cancellation, the time-out a time-out, never a broken answer.
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        throw TimedOut(attempt, accepted, result.RequestId);
                    }

                    if (ex is OperationCanceledException)
                    {
                        throw;
                    }

                    throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
                }
                catch (Exception ex) when (accepted && (ex is JsonException || ex is FormatException))
                {
                    throw new SeedreamInvalidResponseException(
                        $"The answer to request {result.RequestId ?? "(no id)"} is not valid JSON ({FirstLine(ex.Message)}). " +
                        "The server had accepted the request, so it may already be billed; it was not repeated.", ex)
                        { Attempts = attempt, RequestId = result.RequestId };
                }
                catch (Exception ex) when (accepted && IsBrokenBody(ex))
                {
                    throw new SeedreamTransportException(
                        $"The answer to request {result.RequestId ?? "(no id)"} broke off or could not be read ({Innermost(ex).Message}). " +
                        "The server had accepted the request, so it may already be billed; it was not repeated.",
                        mayHaveBeenBilled: true, ex) { Attempts = attempt, RequestId = result.RequestId };
                }

                if (connectRetryDelay is TimeSpan wait)
                {
                    try
                    {
                        await Task.Delay(wait, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw TimedOut(attempt, accepted: false, result.RequestId);
                    }
                }
            }
        }

        private SeedreamTimeoutException TimedOut(int attempt, bool accepted, string? requestId) =>
            new SeedreamTimeoutException(
                $"The request did not finish within {_options.Timeout.TotalSeconds:0.#} s (-TimeoutSec) after {attempt} attempt(s)." +
                (accepted ? " The server had accepted it, so it may already be billed; it was not repeated." : ""),
                mayHaveBeenBilled: accepted) { Attempts = attempt, RequestId = requestId };

        private HttpRequestMessage CreateMessage(byte[] body, bool stream)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, GenerationsUri)
            {
                Content = new ByteArrayContent(body),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
            return message;
        }

        private static async Task ReadBodyAsync(HttpResponseMessage response, GenerationResult result, GenerationObserver observer, CancellationToken cancellationToken)
        {
            // Token by token: each b64_json string is decoded to bytes as it completes, never the whole body at once.
            using Stream content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await GenerationBodyReader.ReadAsync(content, result, cancellationToken).ConfigureAwait(false);
            foreach (GeneratedImage image in result.Images)
            {
                observer.ImageReceived?.Invoke(image);
            }
        }

        private async Task ReadStreamAsync(HttpResponseMessage response, GenerationResult result, GenerationObserver observer, CancellationToken cancellationToken)
        {
            using Stream content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var reader = new ServerSentEventReader(content, _options.StreamIdleTimeout);
            bool completed = false;
            while (true)
            {
                ServerSentEvent? sse;
                GenerationEventData? data;
                try
                {
                    // The event's data is parsed as it arrives (b64_json decoded chunk by chunk), never collected first.
                    sse = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    data = sse is null ? null : await GenerationBodyReader.ReadEventAsync(sse.Data, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException ex)
                {
                    int arrived = result.Images.Count(i => i.Succeeded);
                    throw new SeedreamStreamException(
                        $"{ex.Message} The stream was abandoned (-StreamIdleTimeoutSec) after {arrived} image(s) had arrived and were written. " +
                        "The server had accepted the request, so it may already be billed; it was not repeated.",
                        arrived, null, ex) { RequestId = result.RequestId, Attempts = result.Attempts, IdleTimedOut = true };
                }
                catch (Exception ex) when (IsBrokenBody(ex) && !IsInvalidJson(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // The connection broke; invalid event data is reported as an invalid answer by the caller.
                    throw StreamEndedEarly(result, ex);
                }

                if (sse is null || data is null)
                {
                    break; // the end of the stream, or its closing [DONE]
                }

                string? type = sse.Name ?? data.Type;
                result.Model = data.Model ?? result.Model;
                if (data.Created is DateTimeOffset created)
                {
                    result.Created = created;
                }

                switch (type)
                {
                    case StreamSucceeded:
                    case StreamFailed:
                        GeneratedImage image = data.Image;
                        image.Index = data.ImageIndex ?? result.Images.Count;
                        SlotRules.Complete(image);
                        image.Model = result.Model;
                        image.Created = result.Created;
                        result.Images.Add(image);
                        observer.ImageReceived?.Invoke(image);
                        break;
                    case StreamCompleted:
                        completed = true;
                        if (data.Usage != null)
                        {
                            result.Usage = data.Usage;
                        }

                        break;
                    default:
                        if (data.Error is ApiError apiError)
                        {
                            throw new SeedreamStreamException(
                                $"The stream reported {apiError.Code}: {apiError.Message} after {result.Images.Count(x => x.Succeeded)} image(s).{RequestIdNote(apiError.Message, result.RequestId)}",
                                result.Images.Count(x => x.Succeeded), apiError) { RequestId = result.RequestId, Attempts = result.Attempts };
                        }

                        observer.Trace?.Invoke($"Ignored stream event '{type}'.");
                        break;
                }
            }

            if (!completed)
            {
                throw StreamEndedEarly(result, null);
            }
        }

        private static SeedreamStreamException StreamEndedEarly(GenerationResult result, Exception? inner)
        {
            int received = result.Images.Count(i => i.Succeeded);
            return new SeedreamStreamException(
                $"The stream ended before its completed event; {received} image(s) had arrived and were written. " +
                "The server had accepted the request, so it may already be billed; it was not repeated.",
                received, null, inner) { RequestId = result.RequestId, Attempts = result.Attempts };
        }

        private async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            byte[] body;
            try
            {
                using Stream content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                body = await ReadAtMostAsync(content, _options.MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsBrokenBody(ex) && !cancellationToken.IsCancellationRequested)
            {
                // A broken error body still leaves the status to report; a stopped read is the stop, raised as such.
                body = Array.Empty<byte>();
            }

            return ResponseParser.ReadErrorBody(body, response.Content.Headers.ContentType?.MediaType, (int)response.StatusCode, response.ReasonPhrase ?? "");
        }

        private static async Task<byte[]> ReadAtMostAsync(Stream stream, int limit, CancellationToken cancellationToken)
        {
            var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while (buffer.Length < limit && (read = await BodyRead.ReadAsync(stream, chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }

        private static string DescribeApiError(int status, ApiError error, string? requestId, int attempts)
        {
            string message = error.Message.Length > 0 ? error.Message : "(no message)";
            string id = RequestIdNote(message, requestId);
            string tries = attempts > 1 ? $" Gave up after {attempts} attempts." : "";
            return $"Seedream API error {error.Code} (HTTP {status}): {message}{id}{tries}";
        }

        /// <summary>" Request id: X." when the server's message does not already carry the id, so a message shows it once.</summary>
        private static string RequestIdNote(string message, string? requestId) =>
            requestId != null && message.IndexOf(requestId, StringComparison.Ordinal) < 0 ? $" Request id: {requestId}." : "";

        private static bool IsEventStream(HttpResponseMessage response) =>
            string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

        private static string? RequestIdOf(HttpResponseMessage response) =>
            response.Headers.TryGetValues("x-request-id", out var values) ? values.FirstOrDefault() : null;

        private static bool IsInvalidJson(Exception ex) => ex is JsonException || ex is FormatException;

        private static bool IsBrokenBody(Exception ex) =>
            ex is IOException || ex is HttpRequestException || ex is JsonException || ex is FormatException || ex is ObjectDisposedException;

        private static string FirstLine(string text)
        {
            int end = text.IndexOfAny(new[] { '\r', '\n' });
            string line = end < 0 ? text : text.Substring(0, end);
            return line.Length > 160 ? line.Substring(0, 160) + "..." : line;
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
