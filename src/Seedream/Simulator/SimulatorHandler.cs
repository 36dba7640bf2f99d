using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Catalog;

namespace Seedream.Simulator
{
    /// <summary>
    /// The simulator: an <see cref="HttpMessageHandler"/> that answers in process what the Seedream API answers, so the
    /// module's whole client path runs (request writing, retries, stream and body reading, downloads) with no key, no
    /// socket and no bill. It serves <c>POST {base}/images/generations</c> (every mode of every catalog model, streamed
    /// or not, url or b64_json), <c>GET {base}/models</c>, and its own image URLs (<see cref="SimulatedImage.Host"/>),
    /// and plays the fault its <see cref="SimulatorSession"/> holds. See shared/API-CONTRACT.md for the wire format.
    /// </summary>
    public sealed class SimulatorHandler : HttpMessageHandler
    {
        private const string SlotFailureCode = "OutputImageSensitiveContentDetected";
        private static long _requests;

        private readonly SeedreamCatalog _catalog;
        private readonly SeedreamProvider _provider;
        private readonly SimulatorSession _session;

        public SimulatorHandler(SeedreamCatalog catalog, SeedreamProvider provider, SimulatorSession? session = null)
        {
            _catalog = catalog;
            _provider = provider;
            _session = session ?? SimulatorSession.Idle;
        }

        /// <summary>The pause between a stream's events, as a real server spaces them while it generates.</summary>
        public TimeSpan EventSpacing { get; set; } = TimeSpan.FromMilliseconds(150);

        /// <summary>Requests answered by any simulator in this process (for tests: proof that calls went here).</summary>
        public static long RequestsAnswered => Interlocked.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long number = Interlocked.Increment(ref _requests);
            DateTimeOffset now = _session.Now;
            string requestId = $"{now.UtcDateTime:yyyyMMddHHmmss}sim{number:x8}";
            Uri uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
            string path = uri.AbsolutePath.TrimEnd('/');

            HttpResponseMessage response;
            if (request.Method == HttpMethod.Post && path.EndsWith("/images/generations", StringComparison.Ordinal))
            {
                // Reading the content runs the module's own request writing, as a socket handler would.
                byte[] body = request.Content is null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                response = Generate(body, requestId, now);
            }
            else if (request.Method == HttpMethod.Get && SimulatedImage.IsSimulatorUrl(uri) && uri.AbsolutePath.StartsWith("/files/", StringComparison.Ordinal))
            {
                response = Download(uri, now);
            }
            else if (request.Method == HttpMethod.Get && path.EndsWith("/models", StringComparison.Ordinal))
            {
                response = Json(HttpStatusCode.OK, Listing(now));
            }
            else
            {
                response = Error(new SimulatedError(404, "InvalidEndpointOrModel.NotFound", $"The simulator has no {request.Method} {uri.AbsolutePath}."), requestId);
            }

            response.RequestMessage = request;
            response.Headers.TryAddWithoutValidation("x-request-id", requestId);
            return response;
        }

        private HttpResponseMessage Generate(byte[] body, string requestId, DateTimeOffset now)
        {
            if (_session.Take(SimulatedFault.RateLimit))
            {
                HttpResponseMessage limited = Error(new SimulatedError(429, "RateLimitExceeded.EndpointRPMExceeded",
                    "The request has exceeded the RPM limit of the endpoint. Please retry later."), requestId);
                limited.Headers.TryAddWithoutValidation("Retry-After", "1");
                return limited;
            }

            if (_session.Take(SimulatedFault.ServerError))
            {
                return Error(new SimulatedError(500, "InternalServiceError", "The service encountered an unexpected internal error."), requestId);
            }

            (SimulatedRequest? request, SimulatedError? refused) = SimulatedRequest.Read(body, _catalog, _provider);
            if (refused != null)
            {
                return Error(refused, requestId);
            }

            if (_session.Take(SimulatedFault.ContentFiltered))
            {
                request!.Outputs[0].Error = new SimulatedError(400, SlotFailureCode,
                    $"The generated image may contain sensitive content. Request id: {requestId}");
            }

            bool cut = _session.Take(SimulatedFault.CutStream);
            long created = now.ToUnixTimeSeconds();
            return request!.Stream ? Streamed(request, created, now, cut) : Whole(request, created, now, cut);
        }

        private HttpResponseMessage Whole(SimulatedRequest request, long created, DateTimeOffset now, bool cut)
        {
            byte[] json = Write(w =>
            {
                w.WriteString("model", request.ModelId);
                w.WriteNumber("created", created);
                w.WriteStartArray("data");
                foreach (SimulatedOutput output in request.Outputs)
                {
                    w.WriteStartObject();
                    WriteSlot(w, request, output, now);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                WriteUsage(w, request);
            });

            var content = new StreamContent(new SimulatedBody(json) { CutAtByte = cut ? json.Length / 2 : (long?)null });
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            content.Headers.ContentLength = json.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        private HttpResponseMessage Streamed(SimulatedRequest request, long created, DateTimeOffset now, bool cut)
        {
            var parts = new List<Func<byte[]>>();
            foreach (SimulatedOutput output in request.Outputs)
            {
                string name = output.Succeeded ? "image_generation.partial_succeeded" : "image_generation.partial_failed";
                parts.Add(() => Event(name, w =>
                {
                    w.WriteString("type", name);
                    w.WriteString("model", request.ModelId);
                    w.WriteNumber("created", created);
                    w.WriteNumber("image_index", output.Image.Index);
                    WriteSlot(w, request, output, now);
                }));
            }

            parts.Add(() => Event("image_generation.completed", w =>
            {
                w.WriteString("type", "image_generation.completed");
                w.WriteString("model", request.ModelId);
                w.WriteNumber("created", created);
                WriteUsage(w, request);
            }));
            parts.Add(() => Encoding.UTF8.GetBytes("data: [DONE]\n\n"));

            var content = new StreamContent(new SimulatedBody(parts) { Spacing = EventSpacing, CutAfterParts = cut ? 1 : (int?)null });
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
            response.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            return response;
        }

        /// <summary>A data[] slot or an image event's fields: url or b64_json, size, and what newer models add.</summary>
        private void WriteSlot(Utf8JsonWriter w, SimulatedRequest request, SimulatedOutput output, DateTimeOffset now)
        {
            if (output.Error is SimulatedError error)
            {
                w.WriteStartObject("error");
                w.WriteString("code", error.Code);
                w.WriteString("message", error.Message);
                w.WriteEndObject();
                return;
            }

            SimulatedImage image = output.Image;
            if (request.Base64)
            {
                w.WriteBase64String("b64_json", image.Render());
            }
            else
            {
                w.WriteString("url", image.UrlAt(now, _catalog.Limits.UrlLifetime).AbsoluteUri);
            }

            w.WriteString("size", image.Size);
            if (request.NewFields || output.ZIndex != null)
            {
                w.WriteString("output_format", image.Format);
                if (request.Background != null)
                {
                    w.WriteString("background", request.Background);
                }
            }

            if (output.ZIndex is int z)
            {
                w.WriteNumber("z_index", z);
                if (output.Box != null)
                {
                    w.WriteStartObject("bounding_box");
                    WriteNumbers(w, "absolute", output.Box);
                    WriteNumbers(w, "normalized", output.NormalizedBox!);
                    w.WriteEndObject();
                }

                w.WriteString("name", output.Name);
                w.WriteString("description", output.Description);
            }
        }

        /// <summary>Usage as the API counts it: the images that arrived (layers each count), round(sum(w*h) / 256) tokens.</summary>
        private static void WriteUsage(Utf8JsonWriter w, SimulatedRequest request)
        {
            SimulatedOutput[] made = request.Outputs.Where(o => o.Succeeded).ToArray();
            long tokens = (long)Math.Round(made.Sum(o => (double)o.Image.Pixels) / 256.0, MidpointRounding.AwayFromZero);
            w.WriteStartObject("usage");
            w.WriteNumber("generated_images", made.Length);
            if (request.NewFields)
            {
                w.WriteNumber("input_images", request.References);
            }

            w.WriteNumber("output_tokens", tokens);
            w.WriteNumber("total_tokens", tokens);
            w.WriteEndObject();
        }

        private HttpResponseMessage Download(Uri url, DateTimeOffset now)
        {
            if (!(SimulatedImage.FromUrl(url) is { } found))
            {
                return Xml(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
            }

            bool expired = _session.Take(SimulatedFault.ExpiredUrl) ||
                           (found.Created is DateTimeOffset created && now >= created + _catalog.Limits.UrlLifetime);
            if (expired)
            {
                // As the object store answers a signed link past its lifetime.
                return Xml(HttpStatusCode.Forbidden, "AccessDenied", "Request has expired.");
            }

            byte[] bytes = found.Image.Render();
            var content = new StreamContent(new SimulatedBody(bytes));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/" + found.Image.Format);
            content.Headers.ContentLength = bytes.Length;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        private byte[] Listing(DateTimeOffset now) => Write(w =>
        {
            w.WriteStartArray("data");
            foreach (SeedreamModel model in _catalog.ModelsOn(_provider))
            {
                foreach (string id in model.OfferOn(_provider)!.Ids)
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteString("name", id);
                    w.WriteNumber("created", now.ToUnixTimeSeconds());
                    w.WriteStartArray("task_type");
                    w.WriteStringValue("TextToImage");
                    w.WriteStringValue("ImageToImage");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        });

        private static HttpResponseMessage Error(SimulatedError error, string requestId) =>
            Json((HttpStatusCode)error.Status, Write(w =>
            {
                w.WriteStartObject("error");
                w.WriteString("code", error.Code);
                w.WriteString("message", $"{error.Message} Request id: {requestId}");
                w.WriteString("param", error.Param);
                w.WriteString("type", error.Type);
                w.WriteEndObject();
            }));

        private static HttpResponseMessage Json(HttpStatusCode status, byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            return new HttpResponseMessage(status) { Content = content };
        }

        private static HttpResponseMessage Xml(HttpStatusCode status, string code, string message)
        {
            var content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>", Encoding.UTF8, "application/xml");
            return new HttpResponseMessage(status) { Content = content };
        }

        private static byte[] Event(string name, Action<Utf8JsonWriter> fields)
        {
            byte[] data = Write(fields);
            var buffer = new MemoryStream(data.Length + 64);
            byte[] head = Encoding.UTF8.GetBytes($"event: {name}\ndata: ");
            buffer.Write(head, 0, head.Length);
            buffer.Write(data, 0, data.Length);
            buffer.WriteByte((byte)'\n');
            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }

        private static byte[] Write(Action<Utf8JsonWriter> fields)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                fields(writer);
                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }

        private static void WriteNumbers(Utf8JsonWriter w, string name, int[] values)
        {
            w.WriteStartArray(name);
            foreach (int value in values)
            {
                w.WriteNumberValue(value);
            }

            w.WriteEndArray();
        }
    }
}
