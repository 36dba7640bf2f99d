using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>One entry of GET {base}/models: an id the provider serves, and its status there.</summary>
    public sealed class ListedModel
    {
        public ListedModel(string id, string? name, DateTimeOffset? created, string? status, IReadOnlyList<string> taskTypes, string? version)
        {
            Id = id;
            Name = name;
            Created = created;
            Status = status;
            TaskTypes = taskTypes;
            Version = version;
        }

        public string Id { get; }
        public string? Name { get; }
        public DateTimeOffset? Created { get; }

        /// <summary>Shutdown or Retiring as the provider says it; null while live.</summary>
        public string? Status { get; }

        public IReadOnlyList<string> TaskTypes { get; }
        public string? Version { get; }
    }

    /// <summary>The provider's model listing, with the request id of the answer.</summary>
    public sealed class ModelListing
    {
        public ModelListing(IReadOnlyList<ListedModel> models, string? requestId)
        {
            Models = models;
            RequestId = requestId;
        }

        public IReadOnlyList<ListedModel> Models { get; }
        public string? RequestId { get; }
    }

    public sealed partial class SeedreamClient
    {
        /// <summary>The largest listing read: a listing is a few kilobytes; anything far larger is not one.</summary>
        private const int MaxListingBytes = 4 * 1024 * 1024;

        public Uri ModelsUri => new Uri(_options.BaseUri.AbsoluteUri.TrimEnd('/') + "/models");

        /// <summary>
        /// GET {base}/models (BytePlus, Volcengine): which models the account's provider reports, and their status. One
        /// attempt: the listing is free and says nothing the catalog needs in order to generate. Unknown fields are skipped.
        /// </summary>
        public async Task<ModelListing> ListModelsAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            using var message = new HttpRequestMessage(HttpMethod.Get, ModelsUri);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConnectFailure.Classify(ex, timeout.Token, requestSent: false) is ConnectFailureKind failure && failure != ConnectFailureKind.None)
            {
                throw new SeedreamTransportException(
                    $"Could not reach {ModelsUri.GetLeftPart(UriPartial.Authority)}: {ConnectFailure.Describe(failure, ex)}", mayHaveBeenBilled: false, ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SeedreamTimeoutException($"The model listing did not arrive within {_options.Timeout.TotalSeconds:0.#} s (-TimeoutSec).", mayHaveBeenBilled: false);
            }

            using (response)
            {
                string? requestId = RequestIdOf(response);
                if (!response.IsSuccessStatusCode)
                {
                    ApiError error = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
                    throw new SeedreamApiException(DescribeApiError((int)response.StatusCode, error, requestId, 1), (int)response.StatusCode, error) { RequestId = requestId };
                }

                byte[] body;
                using (Stream content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    body = await ReadAtMostAsync(content, MaxListingBytes + 1, timeout.Token).ConfigureAwait(false);
                }

                if (body.Length > MaxListingBytes)
                {
                    throw new SeedreamInvalidResponseException($"The model listing is larger than {MaxListingBytes / (1024 * 1024)} MB; it is not read.", null) { RequestId = requestId };
                }

                try
                {
                    return new ModelListing(ParseListing(body), requestId);
                }
                catch (Exception ex) when (ex is JsonException || ex is FormatException)
                {
                    throw new SeedreamInvalidResponseException($"The model listing is not the documented JSON ({FirstLine(ex.Message)}).", ex) { RequestId = requestId };
                }
            }
        }

        /// <summary>{"data":[{"id","name","created","status"?,"task_type":[...],"version"?}]}: entries without an id are skipped.</summary>
        internal static IReadOnlyList<ListedModel> ParseListing(byte[] body)
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("no data array");
            }

            var models = new List<ListedModel>();
            foreach (JsonElement item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !(Text(item, "id") is string id) || id.Length == 0)
                {
                    continue;
                }

                var tasks = new List<string>();
                if (item.TryGetProperty("task_type", out JsonElement types) && types.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement type in types.EnumerateArray())
                    {
                        if (type.ValueKind == JsonValueKind.String)
                        {
                            tasks.Add(type.GetString()!);
                        }
                    }
                }

                DateTimeOffset? created = item.TryGetProperty("created", out JsonElement stamp) && stamp.ValueKind == JsonValueKind.Number && stamp.TryGetInt64(out long seconds) &&
                                          seconds >= 0 && seconds < 253402300800L
                    ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                    : (DateTimeOffset?)null;
                models.Add(new ListedModel(id, Text(item, "name"), created, Text(item, "status"), tasks, Text(item, "version")));
            }

            return models;
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
