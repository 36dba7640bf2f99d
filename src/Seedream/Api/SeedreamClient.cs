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

        /// <summary>
        /// The longest an answer may send nothing once its headers arrived (a stream between events, a body mid-way)
        /// before it counts as dead.
        /// </summary>
        public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>The largest error body read; error bodies are short, and an HTML page is summarised.</summary>
        public int MaxErrorBodyBytes { get; set; } = 64 * 1024;

        /// <summary>
        /// The most bytes of one answer read, counted after decompression: 15 of the largest PNGs as base64 fit, a
        /// gzip bomb does not.
        /// </summary>
        public long MaxAnswerBytes { get; set; } = 1L << 30;

        /// <summary>The longest single value held from an answer other than b64_json (a url, a message); unknown fields are skipped, whatever their size.</summary>
        public int MaxValueBytes { get; set; } = 1 << 20;

        /// <summary>
        /// Whether a request whose connection ended after the whole request was sent, before any answer, is sent
        /// again. Off: the server may have processed it, and a repeat may be billed again.
        /// </summary>
        public bool RetryLostAnswers { get; set; }
    }

    /// <summary>What a caller hears while a call runs. Every callback comes from a worker thread.</summary>
    public sealed class GenerationObserver
    {
        /// <summary>
        /// An image slot arrived (success or failure), in stream order or, unstreamed, in data[] order. Streamed, this
        /// is the only hand-over of an image's bytes: the result's slot keeps everything but <see cref="GeneratedImage.Bytes"/>.
        /// </summary>
        public Action<GeneratedImage>? ImageReceived { get; set; }

        /// <summary>
        /// Streamed: awaited once for each image handed to <see cref="ImageReceived"/>, when the next image's b64_json
        /// starts and before any of it is read (never for the events after the last image). A caller that queues images
        /// for a slower consumer completes it once the pipeline has taken the image, which pauses the stream read (and
        /// so the server, through the connection's flow control) instead of letting the queue grow: at most one image
        /// waits for the pipeline while none is being decoded.
        /// </summary>
        public Func<CancellationToken, Task>? WaitForRoom { get; set; }

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
    public sealed partial class SeedreamClient
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
            // Written straight to the connection on each attempt: files are read in chunks, never held as base64 text.
            RequestBody body = RequestBodyWriter.Create(request);
            observer.Trace?.Invoke($"POST {GenerationsUri} body ({body.Length:N0} bytes): {RequestBodyWriter.ToDisplayJson(request)}");

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
                WaitForRoom = caller.WaitForRoom,
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
                var content = new RequestContent(body, timeout.Token);
                try
                {
                    await _backoff.WaitAsync(timeout.Token).ConfigureAwait(false);

                    // A reference file changed since it was checked (or since the last attempt): stop, nothing sent.
                    body.Verify();
                    using HttpRequestMessage message = CreateMessage(content, request.Stream);
                    using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    responded = true;
                    result.StatusCode = (int)response.StatusCode;
                    result.RequestId = RequestIdOf(response);

                    // When the answer does not say when it was made (no or a null "created"), it was made about now.
                    result.Created = DateTimeOffset.UtcNow;

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

                        EnsureSomethingArrived(result);
                        result.Elapsed = clock.Elapsed;
                        return result;
                    }

                    int status = (int)response.StatusCode;
                    ApiError error = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
                    if (attempt < maxAttempts && RetryPolicy.IsRetryable(status, error.Code, response.Headers))
                    {
                        RetryDelay pause = _options.RetryPolicy.GetRetryDelay(attempt, response.Headers, DateTimeOffset.UtcNow);
                        TimeSpan delay = pause.Delay;
                        TimeSpan left = _options.Timeout - clock.Elapsed;
                        if (pause.ServerAsked != null && delay >= left)
                        {
                            // Waiting would only end in a time-out that hides what the server said.
                            throw new SeedreamApiException(
                                DescribeApiError(status, error, result.RequestId, attempt) +
                                $" The server asked to wait {RetryDelay.Describe(pause.ServerAsked.Value)} before retrying, longer than the {Math.Max(0, left.TotalSeconds):0.#} s left before -TimeoutSec; it was not retried.",
                                status, error) { Attempts = attempt, RequestId = result.RequestId };
                        }

                        if (status == 429)
                        {
                            // The command's other requests hold back too instead of hitting the limit meanwhile.
                            _backoff.PauseFor(delay);
                        }

                        observer.Retrying?.Invoke(new RetryNotice(attempt, maxAttempts, $"HTTP {status} {error.Code}{pause.CapNote}", delay));
                        await Task.Delay(delay, timeout.Token).ConfigureAwait(false);
                        continue;
                    }

                    throw new SeedreamApiException(DescribeApiError(status, error, result.RequestId, attempt), status, error)
                    {
                        Attempts = attempt,
                        RequestId = result.RequestId,
                    };
                }
                catch (Exception) when (content.Changed != null && !timeout.IsCancellationRequested)
                {
                    // A file changed while it was being sent: the body was cut short, so the server got no request.
                    throw content.Changed;
                }
                catch (Exception ex) when (!responded && ConnectFailure.Classify(ex, timeout.Token, content.Sent) == ConnectFailureKind.AnswerLost)
                {
                    // The whole request went out and the connection ended before any answer: the server may be
                    // generating (and billing) it. Sending it again could bill it twice, so by default it is not.
                    string reason = ConnectFailure.Describe(ConnectFailureKind.AnswerLost, ex);
                    if (!_options.RetryLostAnswers || attempt >= maxAttempts)
                    {
                        throw new SeedreamTransportException(
                            $"The connection to {GenerationsUri.GetLeftPart(UriPartial.Authority)} ended after the whole request was sent, before any answer ({reason}). " +
                            "The server may have processed it, so it may already be billed; it was not repeated, as a repeat could be billed again." +
                            (attempt > 1 ? $" Attempts: {attempt}." : ""),
                            mayHaveBeenBilled: true, ex) { Attempts = attempt, RequestId = result.RequestId };
                    }

                    connectRetryDelay = _options.RetryPolicy.GetDelay(attempt, null, DateTimeOffset.UtcNow);
                    observer.Retrying?.Invoke(new RetryNotice(attempt, maxAttempts, "the connection ended after the request was sent: " + reason, connectRetryDelay.Value));
                }
                catch (Exception ex) when (!responded && ConnectFailure.Classify(ex, timeout.Token, content.Sent) is ConnectFailureKind failure && failure != ConnectFailureKind.None)
                {
                    // The request did not get out (no connection, or it broke while sending): another attempt is safe,
                    // unless the TLS handshake failed, which no retry can mend.
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
                        throw TimedOut(attempt, accepted, content.Sent && !responded, result.RequestId);
                    }

                    if (ex is OperationCanceledException)
                    {
                        throw;
                    }

                    throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
                }
                catch (AnswerTooLargeException ex) when (accepted)
                {
                    throw new SeedreamInvalidResponseException(
                        $"The answer to request {result.RequestId ?? "(no id)"} was abandoned: {ex.Message} " +
                        "The server had accepted the request, so it may already be billed; it was not repeated.", ex)
                        { Attempts = attempt, RequestId = result.RequestId };
                }
                catch (TimeoutException ex) when (accepted)
                {
                    throw new SeedreamTimeoutException(
                        $"The answer to request {result.RequestId ?? "(no id)"} stopped: {ex.Message} It was abandoned (-StreamIdleTimeoutSec). " +
                        "The server had accepted the request, so it may already be billed; it was not repeated.",
                        mayHaveBeenBilled: true) { Attempts = attempt, RequestId = result.RequestId };
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
                        throw TimedOut(attempt, accepted: false, sent: false, result.RequestId);
                    }
                }
            }
        }

        /// <param name="sent">The whole request had gone out and no answer had come: the server may be working on it.</param>
        private SeedreamTimeoutException TimedOut(int attempt, bool accepted, bool sent, string? requestId) =>
            new SeedreamTimeoutException(
                $"The request did not finish within {_options.Timeout.TotalSeconds:0.#} s (-TimeoutSec) after {attempt} attempt(s)." +
                (accepted ? " The server had accepted it, so it may already be billed; it was not repeated."
                    : sent ? " The whole request had been sent, so the server may have processed it and it may already be billed; it was not repeated." : ""),
                mayHaveBeenBilled: accepted || sent) { Attempts = attempt, RequestId = requestId };

        private HttpRequestMessage CreateMessage(RequestContent content, bool stream)
        {
            var message = new HttpRequestMessage(HttpMethod.Post, GenerationsUri) { Content = content };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));

            // .NET Framework would otherwise send "Expect: 100-continue" and wait for the go-ahead (or 350 ms) first.
            message.Headers.ExpectContinue = false;
            return message;
        }

        /// <summary>A success that holds no image at all (data[] missing, null or empty; or only a root error) is a failure.</summary>
        private static void EnsureSomethingArrived(GenerationResult result)
        {
            if (result.Images.Count > 0)
            {
                return;
            }

            string id = result.RequestId ?? "(no id)";
            if (result.Error is ApiError error)
            {
                throw new SeedreamApiException(
                    $"The answer to request {id} (HTTP {result.StatusCode}) is an error, not images: {error.Code}: {(error.Message.Length > 0 ? error.Message : "(no message)")}",
                    result.StatusCode, error) { Attempts = result.Attempts, RequestId = result.RequestId };
            }

            string usage = result.Usage is null ? "" : $" It reports {result.Usage.GeneratedImages} generated image(s).";
            throw new SeedreamInvalidResponseException(
                $"The answer to request {id} (HTTP {result.StatusCode}) holds no image: its data[] is missing, null or empty.{usage} " +
                "The server had accepted the request, so it may already be billed; it was not repeated.")
                { Attempts = result.Attempts, RequestId = result.RequestId };
        }

        private async Task ReadBodyAsync(HttpResponseMessage response, GenerationResult result, GenerationObserver observer, CancellationToken cancellationToken)
        {
            // Token by token: each b64_json string is decoded to bytes as it completes, never the whole body at once.
            using Stream content = new AnswerStream(
                await response.Content.ReadAsStreamAsync().ConfigureAwait(false), _options.MaxAnswerBytes, _options.StreamIdleTimeout, "the answer");
            await GenerationBodyReader.ReadBoundedAsync(content, result, _options.MaxValueBytes, cancellationToken).ConfigureAwait(false);
            foreach (GeneratedImage image in result.Images)
            {
                observer.ImageReceived?.Invoke(image);
            }
        }

        private async Task ReadStreamAsync(HttpResponseMessage response, GenerationResult result, GenerationObserver observer, CancellationToken cancellationToken)
        {
            // The reader keeps its own idle timer (between events); the stream here only bounds the size.
            using Stream content = new AnswerStream(
                await response.Content.ReadAsStreamAsync().ConfigureAwait(false), _options.MaxAnswerBytes, Timeout.InfiniteTimeSpan, "the stream");
            using var reader = new ServerSentEventReader(content, _options.StreamIdleTimeout);
            bool completed = false;

            // Images handed over whose room has not been waited for. The wait comes when the next image's bytes start, not
            // when an image is handed over: the stream read pauses before decoding another image until the pipeline has
            // taken every earlier one, while a stream whose last image is waiting still reads on to its end.
            int owed = 0;
            Func<CancellationToken, Task>? beforeImageBytes = observer.WaitForRoom is null ? null : async token =>
            {
                for (; owed > 0; owed--)
                {
                    await observer.WaitForRoom(token).ConfigureAwait(false);
                }
            };

            while (true)
            {
                ServerSentEvent? sse;
                GenerationEventData? data;
                try
                {
                    // The event's data is parsed as it arrives (b64_json decoded chunk by chunk), never collected first.
                    sse = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    data = sse is null ? null : await GenerationBodyReader.ReadEventAsync(sse.Data, _options.MaxValueBytes, beforeImageBytes, cancellationToken).ConfigureAwait(false);
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

                string? type = data.TypeUnder(sse.Name);
                result.Model = data.Model ?? result.Model;
                if (data.Created is DateTimeOffset created)
                {
                    result.Created = created;
                }

                switch (type)
                {
                    case StreamSucceeded:
                    case StreamFailed:
                        GeneratedImage image = data.ImageAt(result.Images.Count);
                        image.Model = result.Model;
                        image.Created = result.Created;

                        observer.ImageReceived?.Invoke(image);

                        // The slot is kept without its bytes: once handed over, nothing here holds the image.
                        result.Images.Add(image.WithoutBytes());
                        image = null!;
                        data = null;
                        owed++;
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
