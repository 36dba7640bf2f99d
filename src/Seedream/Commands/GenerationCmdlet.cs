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

    /// <summary>optimize_prompt_options.thinking, on the models that have it (5.0 Pro).</summary>
    public enum ThinkingMode
    {
        Enabled,
        Disabled,
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
        private bool _warnedModel;
        private bool _warnedTimeout;
        private SeedreamCatalog? _catalog;
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

        /// <summary>Whether prompt optimisation thinks first (5.0 Pro); Disabled only without reference images.</summary>
        [Parameter]
        public ThinkingMode Thinking { get; set; } = ThinkingMode.Enabled;

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
            SeedreamCatalog catalog = Catalog;
            ModelChoice choice = ResolveModel(catalog);
            SeedreamModel? model = choice.Model;
            bool known = model != null;
            string? size = IsBound(nameof(Size)) ? (Size ?? "") : null;
            var request = new GenerationRequest
            {
                Model = choice.WireId,
                Prompt = prompt,
                Images = images.Select(i => i.WireValue).ToArray(),
                MaxImages = IsBound(nameof(MaxImages)) ? MaxImages : (int?)null,
                Size = size is null ? null : RequestRules.CanonicalSize(size, model),
                ResponseFormat = ResponseFormat == SeedreamResponseFormat.Base64Json ? ResponseFormats.Base64Json : ResponseFormats.Url,
                OutputFormat = IsBound(nameof(OutputFormat)) ? OutputFormat.ToString().ToLowerInvariant() : null,
                Watermark = Watermark.IsPresent,
                Stream = Stream.IsPresent,
                OptimizePromptMode = IsBound(nameof(OptimizePromptMode)) ? OptimizePromptMode.ToString().ToLowerInvariant() : null,
                Thinking = IsBound(nameof(Thinking)) ? Thinking.ToString().ToLowerInvariant() : null,
                AdditionalBody = UnwrapAdditionalBody(),
            };

            // A field the model does not accept is never sent: sequential_image_generation only where the model takes it
            // (a model the catalog does not know gets it only when -MaxImages asks for a sequence).
            request.SequenceField = known ? model!.SupportsSequence : request.MaxImages.HasValue;

            IReadOnlyList<RuleViolation> violations = RequestRules.Check(new RequestShape
            {
                Prompt = prompt,
                Model = model,
                ModelId = choice.WireId,
                Provider = ProviderInfo,
                Catalog = catalog,
                Size = size,
                MaxImages = request.MaxImages,
                OutputFormat = request.OutputFormat,
                References = images.Select(i => i.Facts).ToArray(),
                Stream = request.Stream,
                OptimizePromptMode = request.OptimizePromptMode,
                Thinking = request.Thinking,
            });
            if (violations.Count > 0)
            {
                RuleViolation first = violations[0];
                StopWithError(SeedreamErrors.InvalidParameterRecord(ParameterNameOf(first.Field), first.Message, target));
            }

            if (!ShouldProcess(Describe(prompt), DescribeAction(request, choice, images.Count)))
            {
                return;
            }

            SeedreamRequest sent = SeedreamRequest.From(request, model, ProviderInfo.Name, images);
            ClientOptions options = CreateClientOptions();
            options.StreamIdleTimeout = TimeSpan.FromSeconds(StreamIdleTimeoutSec);
            ApplySuggestedTimeout(options, model);
            var client = new SeedreamClient(HttpClientCache.Get(ConnectionSettings), options, _backoff);
            (int Width, int Height)? requestedSize = RequestRules.ResolveSize(request.Size, model);
            PriceRule? price = choice.Offer?.Price;
            bool simulated = ProviderInfo.IsSimulated;
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

                        SeedreamImage result = ToResult(image, request, prompt, images.Count, requestedSize, model);
                        result.RequestId = image.RequestId;
                        result.IsSimulated = simulated;
                        if (price != null)
                        {
                            // Streamed, the count is not known yet: the first image carries the request's own charges.
                            result.Cost = price.ImagePrice(result.Width > 0 ? (long)result.Width * result.Height : (long?)null) +
                                          (deferred is null && written.Count == 0 ? price.RequestCharge(images.Count) : 0m);
                        }

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
                        if (price != null && image.Cost is decimal own)
                        {
                            image.Cost = own + (price.RequestCharge(images.Count) / written.Count);
                        }
                    }

                    deferred.ForEach(write => write());
                }

                string usage = answer.Usage is null ? "no usage reported" : $"billed {answer.Usage.GeneratedImages} image(s), {answer.Usage.TotalTokens:N0} tokens";
                if (written.Count > 0 && written.All(w => w.Cost != null))
                {
                    usage += $", estimated {PriceRule.Money(written.Sum(w => w.Cost!.Value))} at list price";
                }
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

        /// <summary>The catalog in effect for this command (the module's, with the user's file on top), read once.</summary>
        private SeedreamCatalog Catalog
        {
            get
            {
                if (_catalog is null)
                {
                    try
                    {
                        _catalog = SeedreamConnection.CurrentCatalog();
                    }
                    catch (CatalogException ex)
                    {
                        StopWithError(SeedreamErrors.CatalogRecord(ex));
                        throw; // not reached
                    }
                }

                return _catalog;
            }
        }

        /// <summary>
        /// What -Model means on the chosen provider (its default when not given) and the id that goes on the wire; says it
        /// in -Verbose, and warns once for a model that is retiring there or that the catalog does not know.
        /// </summary>
        private ModelChoice ResolveModel(SeedreamCatalog catalog)
        {
            if (IsBound(nameof(Model)) && string.IsNullOrWhiteSpace(Model))
            {
                StopWithError(SeedreamErrors.InvalidParameterRecord(nameof(Model),
                    $"the model must not be empty; leave -Model out for {ProviderInfo.Name}'s default ({ProviderInfo.DefaultModel}), or name one: {catalog.NamesOn(ProviderInfo, _ => true)}.", Model));
            }

            ModelChoice choice = string.IsNullOrWhiteSpace(Model) ? catalog.Default(ProviderInfo) : catalog.Choose(Model!, ProviderInfo);
            if (_warnedModel)
            {
                return choice;
            }

            _warnedModel = true;
            WriteVerbose(string.IsNullOrWhiteSpace(Model)
                ? $"No -Model: {ProviderInfo.Name}'s default is {choice.Model?.Family}, sent as {choice.WireId}."
                : choice.Description);
            if (choice.Model is null)
            {
                string near = choice.Suggestions.Count == 0 ? "" : $" Did you mean {string.Join(", ", choice.Suggestions)}?";
                WriteWarning($"Model '{choice.Requested}' is not in the module's catalog for {ProviderInfo.Name}.{near} It is sent as is, with only the fields you set, " +
                             "and only the rules common to all models are checked. A catalog file ($env:SEEDREAM_CATALOG, Connect-Seedream -CatalogPath) can describe it.");
            }
            else if (choice.Offer?.Status is { State: ModelState.Retiring } retiring)
            {
                WriteWarning($"Model {choice.Model.Family} ({choice.WireId}) is retiring on {ProviderInfo.Name}" +
                             (retiring.Date is null ? "" : $" ({retiring.DateText})") + (retiring.Note is null ? "" : $": {retiring.Note}") +
                             $". Live there: {catalog.NamesOn(ProviderInfo, m => m.OfferOn(ProviderInfo)!.Status.State == ModelState.Live)}.");
            }

            return choice;
        }

        /// <summary>A model that is slow to answer gets the time-out its provider advises, unless -TimeoutSec says otherwise.</summary>
        private void ApplySuggestedTimeout(ClientOptions options, SeedreamModel? model)
        {
            if (!(model?.SuggestedTimeout is TimeSpan suggested))
            {
                return;
            }

            if (!IsBound(nameof(TimeoutSec)))
            {
                if (suggested > options.Timeout)
                {
                    options.Timeout = suggested;
                }
            }
            else if (options.Timeout < suggested && !_warnedTimeout)
            {
                _warnedTimeout = true;
                WriteWarning($"-TimeoutSec {TimeoutSec} is shorter than the {suggested.TotalSeconds:0} s advised for {model.Family} (it takes {model.Latency ?? "long"}); " +
                             "a request cut off by the time-out may still be billed.");
            }
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

        private static SeedreamImage ToResult(GeneratedImage image, GenerationRequest request, string prompt, int references, (int Width, int Height)? requestedSize, SeedreamModel? model)
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
                OutputFormat = image.OutputFormat ?? request.OutputFormat ?? model?.DefaultOutputFormat ?? "jpeg",
                Background = image.Background,
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

        private string DescribeAction(GenerationRequest request, ModelChoice choice, int references)
        {
            int images = request.MaxOutputImages;
            string cost;
            if (choice.Offer is null)
            {
                cost = "cost unknown (model not in the catalog)";
            }
            else
            {
                PriceRule price = choice.Offer.Price;
                long? pixels = RequestRules.PixelsOf(request.Size, choice.Model);
                cost = $"estimated cost up to {PriceRule.Money(price.Estimate(images, pixels, references))} at list price: {price.Breakdown(images, pixels, references)}";
            }

            return $"{request.Mode} with {request.Model} on {ProviderInfo.Name}: {references} reference image(s), " +
                   $"up to {images} billed image(s), {cost}";
        }
    }
}
