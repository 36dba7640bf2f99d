using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;

namespace Seedream.Commands
{
    public enum SeedreamResponseFormat
    {
        Url,
        Base64Json,
    }

    public enum SeedreamOutputFormat
    {
        Jpeg,
        Png,
    }

    public enum PromptOptimizationMode
    {
        Standard,
        Fast,
    }

    /// <summary>
    /// What New-SeedreamImage and Edit-SeedreamImage share: the generation options, the checks made before any
    /// request (a request costs money), -WhatIf with the cost, and the request itself with its progress.
    /// </summary>
    public abstract class GenerationCmdlet : ApiCmdlet
    {
        private const int ProgressActivityId = 0x5EED;
        private readonly SharedBackoff _backoff = new SharedBackoff();
        private readonly DateTime _startedAt = DateTime.UtcNow;
        private bool _warnedUnknownModel;
        private int _imagesArrived;
        private int _imagesExpected;

        [Parameter]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        /// <summary>A tier (2K) or WIDTHxHEIGHT (2048x2048).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string? Size { get; set; }

        [Parameter]
        public int MaxImages { get; set; }

        [Parameter]
        public SeedreamResponseFormat ResponseFormat { get; set; } = SeedreamResponseFormat.Url;

        [Parameter]
        public SeedreamOutputFormat OutputFormat { get; set; } = SeedreamOutputFormat.Jpeg;

        [Parameter]
        public SwitchParameter Watermark { get; set; }

        [Parameter]
        public SwitchParameter Stream { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int StreamIdleTimeoutSec { get; set; } = 120;

        [Parameter]
        public PromptOptimizationMode OptimizePromptMode { get; set; } = PromptOptimizationMode.Standard;

        [Parameter]
        public Hashtable? AdditionalBody { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        protected override int ThrottleLimitValue => ThrottleLimit;

        /// <summary>Checks the request, asks ShouldProcess, and starts it. Rule violations stop the call before anything is sent.</summary>
        protected void Submit(string prompt, IReadOnlyList<ReferenceImage> images, object? target)
        {
            PromptLength.WarnOnce(this, prompt);
            (SeedreamModel? model, string modelId) = ResolveModel();
            var request = new GenerationRequest
            {
                Model = modelId,
                Prompt = prompt,
                Images = images.Select(i => i.WireValue).ToArray(),
                MaxImages = IsBound(nameof(MaxImages)) ? MaxImages : (int?)null,
                Size = Size,
                ResponseFormat = ResponseFormat == SeedreamResponseFormat.Base64Json ? ResponseFormats.Base64Json : ResponseFormats.Url,
                OutputFormat = IsBound(nameof(OutputFormat)) ? OutputFormat.ToString().ToLowerInvariant() : null,
                Watermark = Watermark.IsPresent,
                Stream = Stream.IsPresent,
                OptimizePromptMode = IsBound(nameof(OptimizePromptMode)) ? OptimizePromptMode.ToString().ToLowerInvariant() : null,
                AdditionalBody = UnwrapAdditionalBody(),
            };

            IReadOnlyList<RuleViolation> violations = RequestRules.Check(new RequestShape
            {
                Prompt = prompt,
                Model = model,
                ModelId = modelId,
                Provider = ProviderInfo,
                Size = request.Size,
                MaxImages = request.MaxImages,
                OutputFormat = request.OutputFormat,
                ReferenceCount = images.Count,
                Stream = request.Stream,
                OptimizePromptMode = request.OptimizePromptMode,
            });
            if (violations.Count > 0)
            {
                RuleViolation first = violations[0];
                StopWithError(SeedreamErrors.InvalidParameterRecord(ParameterNameOf(first.Field), first.Message, target));
            }

            if (!ShouldProcess(Describe(prompt), DescribeAction(request, model, images.Count)))
            {
                return;
            }

            SeedreamRequest sent = SeedreamRequest.From(request, model, ProviderInfo.Name, images);
            ClientOptions options = CreateClientOptions();
            options.StreamIdleTimeout = TimeSpan.FromSeconds(StreamIdleTimeoutSec);
            var client = new SeedreamClient(HttpClientCache.Get(ConnectionSettings), options, _backoff);
            (int Width, int Height)? requestedSize = RequestRules.ResolveSize(request.Size, model);
            Interlocked.Add(ref _imagesExpected, request.MaxOutputImages);

            // A record as the first request starts, so even a quick one shows (and completes) progress; then at most one a quarter second.
            RequestProgress();
            StartWork(async (sink, cancellationToken) =>
            {
                var written = new List<SeedreamImage>();

                // Unstreamed, every slot arrives at once with the usage: the writes wait for it, so each object leaves
                // complete. Streamed, each image is written the moment it arrives and the usage comes last (-Verbose).
                List<Action>? deferred = request.Stream ? null : new List<Action>();
                void Emit(Action write)
                {
                    if (deferred is null)
                    {
                        write();
                    }
                    else
                    {
                        deferred.Add(write);
                    }
                }

                sink.WriteVerbose($"POST {client.GenerationsUri} model={request.Model} mode={request.Mode} references={images.Count} " +
                                  $"max images={request.MaxOutputImages} stream={request.Stream.ToString().ToLowerInvariant()}.");
                var observer = new GenerationObserver
                {
                    Retrying = VerboseRetry(sink, "Request"),
                    Trace = sink.WriteDebug,
                    ImageReceived = image =>
                    {
                        Interlocked.Increment(ref _imagesArrived);
                        if (image.Error != null)
                        {
                            ErrorRecord failure = SeedreamErrors.ImageFailure(image.Error, image.Index, prompt, image.RequestId);
                            Emit(() => sink.WriteError(failure));
                            return;
                        }

                        SeedreamImage result = ToResult(image, request, prompt, images.Count, requestedSize);
                        result.RequestId = image.RequestId;
                        result.Request = sent;
                        written.Add(result);
                        Emit(() => sink.WriteObject(result));
                    },
                };

                GenerationResult answer = await client.GenerateAsync(request, observer, cancellationToken).ConfigureAwait(false);
                if (deferred != null)
                {
                    foreach (SeedreamImage image in written)
                    {
                        image.Usage = answer.Usage;
                    }

                    deferred.ForEach(write => write());
                }

                string usage = answer.Usage is null ? "no usage reported" : $"billed {answer.Usage.GeneratedImages} image(s), {answer.Usage.TotalTokens:N0} tokens";
                sink.WriteVerbose($"HTTP {answer.StatusCode}, request id {answer.RequestId ?? "(none)"}: {written.Count} image(s) in " +
                                  $"{FormatElapsed(answer.Elapsed)} after {answer.Attempts} attempt(s); {usage}.");
            }, target);
        }

        protected override void OnProgressTick()
        {
            int arrived = Volatile.Read(ref _imagesArrived);
            int expected = Math.Max(1, Volatile.Read(ref _imagesExpected));
            string status = $"{CompletedItems} of {StartedItems} request(s) done, {RunningItems} in flight, {arrived} of up to {expected} image(s) arrived, " +
                            $"{(DateTime.UtcNow - _startedAt).TotalSeconds:0} s elapsed";
            WriteProgress(Progress.Record(ProgressActivityId, "Seedream: generating images", status, arrived * 100 / expected));
        }

        protected override void OnAllWorkDone()
        {
            if (Progress.Shown)
            {
                WriteProgress(Progress.Completed(ProgressActivityId, "Seedream: generating images"));
            }
        }

        private bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>The catalog entry (null for ids it does not know) and the id that goes on the wire.</summary>
        private (SeedreamModel?, string) ResolveModel()
        {
            string requested = string.IsNullOrWhiteSpace(Model) ? ModelCatalog.DefaultModelFamily : Model!.Trim();
            SeedreamModel? model = ModelCatalog.FindModel(requested);
            if (model is null)
            {
                if (!_warnedUnknownModel)
                {
                    _warnedUnknownModel = true;
                    WriteWarning($"Model '{requested}' is not in the module's catalog; it is sent as is, and only the rules common to all models are checked.");
                }

                return (null, requested);
            }

            return (model, ModelCatalog.IsFamilyName(requested) ? ProviderInfo.ModelIdFor(model) : requested);
        }

        private IReadOnlyDictionary<string, object?>? UnwrapAdditionalBody()
        {
            if (AdditionalBody is null)
            {
                return null;
            }

            var fields = new Dictionary<string, object?>();
            foreach (DictionaryEntry entry in AdditionalBody)
            {
                fields[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = Unwrap(entry.Value);
            }

            return fields;
        }

        /// <summary>PowerShell wraps values in PSObject; the JSON writer wants the plain .NET values.</summary>
        private static object? Unwrap(object? value)
        {
            switch (value)
            {
                case PSObject wrapped:
                    return Unwrap(wrapped.BaseObject);
                case IDictionary dictionary:
                    var copy = new Hashtable();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        copy[entry.Key] = Unwrap(entry.Value);
                    }

                    return copy;
                case string text:
                    return text;
                case IEnumerable items:
                    return items.Cast<object?>().Select(Unwrap).ToList();
                default:
                    return value;
            }
        }

        /// <summary>The parameter that gave the reference images, for messages (Edit-SeedreamImage: -Image, -Path or -LiteralPath).</summary>
        protected virtual string ImageParameterName => "Image";

        private string ParameterNameOf(RequestField field) => field switch
        {
            RequestField.Image => ImageParameterName,
            _ => field.ToString(),
        };

        private static SeedreamImage ToResult(GeneratedImage image, GenerationRequest request, string prompt, int references, (int Width, int Height)? requestedSize)
        {
            var result = new SeedreamImage
            {
                Index = image.Index,
                Url = image.Url,
                Size = image.Size,
                Model = image.Model ?? request.Model,
                Prompt = prompt,
                Mode = request.Mode,
                ReferenceCount = references,
                Created = image.Created ?? DateTimeOffset.UtcNow,
                OutputFormat = request.OutputFormat ?? "jpeg",
                ImageBytes = image.Bytes,
            };
            result.ExpiresAt = image.Url != null ? result.Created + ModelCatalog.UrlLifetime : (DateTimeOffset?)null;

            if (image.Bytes != null && ImageHeaderReader.TryRead(image.Bytes, out ImageHeader header, out _))
            {
                result.Width = header.Width;
                result.Height = header.Height;
                result.OutputFormat = header.MimeSubtype;
                result.Size ??= $"{header.Width}x{header.Height}";
            }
            else if (image.Size != null && RequestRules.ParseDimensions(image.Size) is { } stated)
            {
                (result.Width, result.Height) = stated;
            }
            else if (requestedSize is { } asked)
            {
                (result.Width, result.Height) = asked;
            }

            return result;
        }

        private static string FormatElapsed(TimeSpan elapsed) =>
            elapsed < TimeSpan.FromSeconds(1) ? $"{elapsed.TotalMilliseconds:0} ms" : $"{elapsed.TotalSeconds:0.00} s";

        private static string Describe(string prompt) => prompt.Length <= 60 ? $"'{prompt}'" : $"'{prompt.Substring(0, 57)}...'";

        private string DescribeAction(GenerationRequest request, SeedreamModel? model, int references)
        {
            string cost = model is null
                ? "cost unknown (model not in the catalog)"
                : $"estimated cost up to ${model.PricePerImage * request.MaxOutputImages:0.###} at ${model.PricePerImage}/image";
            return $"{request.Mode} with {request.Model} on {ProviderInfo.Name}: {references} reference image(s), " +
                   $"up to {request.MaxOutputImages} billed image(s), {cost}";
        }
    }
}
