using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Checkpoint;
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
        private bool _warnedTimeout;
        private bool _notedFormat;
        private SeedreamCatalog? _catalog;
        private int _imagesArrived;
        private int _imagesExpected;

        // The per-request parameters bind by property name (Import-Csv rows, objects): each pipeline item is its own request
        // with its own values, checked before it is sent. An empty cell (an empty string, a MaxImages of 0) means "not given".
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        /// <summary>A tier (2K) or WIDTHxHEIGHT (2048x2048).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string? Size { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SeedreamResponseFormat ResponseFormat { get; set; } = SeedreamResponseFormat.Url;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SeedreamOutputFormat OutputFormat { get; set; } = SeedreamOutputFormat.Jpeg;

        /// <summary>A switch; by property name it also takes True/False, Yes/No, 1/0 or an empty cell (Import-Csv text).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BooleanTextTransformation]
        public SwitchParameter Watermark { get; set; }

        /// <summary>The checkpoint journal: requests it holds as answered are not sent again (see <see cref="CheckpointJournal"/>).</summary>
        [Parameter]
        public string? CheckpointPath { get; set; }

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

        /// <summary>max_images of a sequence (New/Edit -MaxImages when bound); null asks for no sequence.</summary>
        protected virtual int? SequenceImages => null;

        /// <summary>Whether the answer is streamed (New/Edit -Stream), and how long a stream may stay silent.</summary>
        protected virtual bool StreamAnswer => false;

        protected virtual TimeSpan StreamIdleTimeout => TimeSpan.FromSeconds(120);

        /// <summary>background (New/Edit -Background), lower-case; null when not asked for.</summary>
        protected virtual string? BackgroundMode => null;

        /// <summary>layer_decomposition (Split-SeedreamImage); never sent with a background.</summary>
        protected virtual bool LayerDecomposition => false;

        /// <summary>
        /// The most layers written (Split -MaxLayers), checked against the model's cap. The contract has no field for it: the
        /// model decides how many layers to make and bills each, so layers above it are left out with a warning.
        /// </summary>
        protected virtual int? LayerLimit => null;

        /// <summary>The size sent when -Size is not given (Split: auto); null sends none, so the model's default applies.</summary>
        protected virtual string? UnboundSize => null;

        private readonly HashSet<string> _callLevel = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _delayBound = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _warnedModels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly BatchTally _tally = new BatchTally();
        private CheckpointJournal? _journal;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();

            // What is bound now is bound once for the whole call (the command line, $PSDefaultParameterValues); a script
            // block given to a parameter that is not of a script-block type is PowerShell's delay-bind, evaluated per item.
            foreach (KeyValuePair<string, object> bound in MyInvocation.BoundParameters)
            {
                if (bound.Value is ScriptBlock && MyInvocation.MyCommand.Parameters.TryGetValue(bound.Key, out ParameterMetadata? meta) && meta.ParameterType != typeof(ScriptBlock))
                {
                    _delayBound.Add(bound.Key);
                }
                else
                {
                    _callLevel.Add(bound.Key);
                }
            }

            if (CheckpointPath != null)
            {
                _journal = Checkpoints.Open(this, CheckpointPath);
            }
        }

        /// <summary>True when the parameter's value can change from one pipeline item to the next (bound from the pipeline, or a delay-bind script block).</summary>
        protected bool PerItem(string parameter) => !_callLevel.Contains(parameter);

        /// <summary>
        /// The pipeline item describes itself (an earlier result piped to Edit or Split, a file piped to any of them): its
        /// Model, Size, OutputFormat and Prompt are not taken as the request's values (only values the call gives, or
        /// delay-bind script blocks).
        /// </summary>
        protected virtual bool IgnoresPipedValues => false;

        /// <summary>The reference images differ from one pipeline item to the next (Edit-SeedreamImage fed files or URLs one by one).</summary>
        protected virtual bool ImagesPerItem => false;

        /// <summary>
        /// Whether <paramref name="parameter"/> has a value for this request: bound for the call, a delay-bind script block,
        /// or bound from this pipeline item. PowerShell keeps the name of a parameter an earlier item bound in
        /// BoundParameters after it resets the property to its default, so a pipeline value counts only while the property
        /// still holds it; an empty string or a MaxImages of 0 from the pipeline (an empty CSV cell) is "not given".
        /// </summary>
        protected bool Given(string parameter, object? current)
        {
            if (!MyInvocation.BoundParameters.TryGetValue(parameter, out object? bound))
            {
                return false;
            }

            if (_callLevel.Contains(parameter))
            {
                return true;
            }

            if (!_delayBound.Contains(parameter))
            {
                if (IgnoresPipedValues || !Equals(bound is null ? null : PSObject.AsPSObject(bound).BaseObject, current))
                {
                    return false;
                }
            }

            return !(current is null || (current is string text && text.Trim().Length == 0) || (current is int number && number == 0));
        }

        /// <summary>Checks the request, asks ShouldProcess, and starts it. Rule violations stop the call before anything is sent.</summary>
        protected void Submit(string prompt, IReadOnlyList<ReferenceImage> images, object? target)
        {
            _tally.Items++;
            PromptLength.WarnOnce(this, prompt);
            SeedreamCatalog catalog = Catalog;
            ModelChoice choice = ResolveModel(catalog);
            SeedreamModel? model = choice.Model;
            bool known = model != null;
            bool modelPerItem = Given(nameof(Model), Model) && PerItem(nameof(Model));
            string? size = Given(nameof(Size), Size) ? (Size ?? "") : UnboundSize;
            var request = new GenerationRequest
            {
                Model = choice.WireId,
                Prompt = prompt,
                Images = images.Select(i => i.Wire).ToArray(),
                MaxImages = SequenceImages,
                Size = size is null ? null : RequestRules.CanonicalSize(size, model),
                ResponseFormat = ResponseFormat == SeedreamResponseFormat.Base64Json ? ResponseFormats.Base64Json : ResponseFormats.Url,
                OutputFormat = Given(nameof(OutputFormat), OutputFormat) ? OutputFormat.ToString().ToLowerInvariant() : ImpliedOutputFormat(model),
                Watermark = Watermark.IsPresent,
                Stream = StreamAnswer,
                OptimizePromptMode = IsBound(nameof(OptimizePromptMode)) ? OptimizePromptMode.ToString().ToLowerInvariant() : null,
                Thinking = IsBound(nameof(Thinking)) ? Thinking.ToString().ToLowerInvariant() : null,
                Background = BackgroundMode,
                LayerDecomposition = LayerDecomposition,
                AdditionalBody = UnwrapAdditionalBody(),
            };

            request.LayerCap = request.LayerDecomposition ? model?.LayerDecomposition?.MaxLayers : null;

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
                Background = request.Background,
                LayerDecomposition = request.LayerDecomposition,
                MaxLayers = LayerLimit,
            });
            if (violations.Count > 0)
            {
                // A rule broken by values bound once for the call breaks every request: stop before anything is sent. One
                // broken by this item's own values (its prompt, model, size, images...) is an error for this item alone.
                RuleViolation first = violations.FirstOrDefault(DoomsTheCall) ?? violations[0];
                ErrorRecord refusal = SeedreamErrors.InvalidParameterRecord(ParameterNameOf(first.Field), first.Message, target);
                if (DoomsTheCall(first))
                {
                    StopWithError(refusal);
                }

                WriteItemError(refusal);
                return;
            }

            SeedreamRequest sent = SeedreamRequest.From(request, model, ProviderInfo.Name, images);
            string identity = RequestIdentity.Of(request, ProviderInfo.Name, sent.References);
            if (_journal != null && Recall(identity, prompt, request, sent, images.Count, model, target))
            {
                return;
            }

            if (!ShouldProcess(DescribeTarget(prompt, images), DescribeAction(request, choice, images.Count)))
            {
                NoteWhatIf(request, choice, images.Count);
                return;
            }

            ClientOptions options = CreateClientOptions();
            options.StreamIdleTimeout = StreamIdleTimeout;
            ApplySuggestedTimeout(options, model);
            var client = new SeedreamClient(HttpClientCache.Get(ConnectionSettings), options, _backoff);
            (int Width, int Height)? requestedSize = RequestRules.ResolveSize(request.Size, model);
            PriceRule? price = choice.Offer?.Price;
            bool simulated = ProviderInfo.IsSimulated;
            Interlocked.Add(ref _imagesExpected, request.MaxOutputImages);
            CheckpointJournal? journal = _journal;
            _tally.Sent++;

            // A record as the first request starts, so even a quick one shows (and completes) progress; then at most one a quarter second.
            RequestProgress();
            StartWork(async (sink, cancellationToken) =>
            {
                var written = new List<SeedreamImage>();

                // Failed slots are written after every good image of the answer: under -ErrorAction Stop the first error
                // ends the command, and the images of a paid answer must have reached the pipeline by then.
                var failures = new List<ErrorRecord>();
                var failedSlots = new List<KeyValuePair<int, string>>();

                // Unstreamed, every slot arrives at once with the usage: the writes wait for it, so each object leaves
                // complete. Streamed, each image is written the moment it arrives and the usage comes last (-Verbose).
                List<Action>? deferred = request.Stream ? null : new List<Action>();

                // Streamed: each image written releases one room; the client waits for it when the next image's bytes
                // start, so no image is decoded while an earlier one still waits for the pipeline thread, and a slow
                // consumer cannot make the queue grow. The events after the last image are read without waiting: a
                // request queued behind a slow one (-ThrottleLimit) still finishes and frees its slot. Only a record
                // without the bytes is kept of a streamed image. (Not disposed: a queued write may release it after this
                // work has ended.)
                SemaphoreSlim? room = request.Stream ? new SemaphoreSlim(0) : null;
                int lastBytes = 0;

                // A layer decomposition's images share one LayerSetId and leave in stacking order, the base first.
                string? layerSetId = request.LayerDecomposition ? Guid.NewGuid().ToString("N") : null;
                var layers = new List<SeedreamImage>();
                int leftOut = 0;

                sink.WriteVerbose($"POST {client.GenerationsUri} model={request.Model} mode={request.Mode} references={images.Count} " +
                                  $"max images={request.MaxOutputImages} stream={request.Stream.ToString().ToLowerInvariant()}.");
                var observer = new GenerationObserver
                {
                    Retrying = VerboseRetry(sink, "Request"),
                    Trace = sink.WriteDebug,
                    WaitForRoom = room is null ? null : async token =>
                    {
                        await room.WaitAsync(token).ConfigureAwait(false);
                        ReleasedLargeImage(Interlocked.Exchange(ref lastBytes, 0));
                    },
                    ImageReceived = image =>
                    {
                        Interlocked.Increment(ref _imagesArrived);
                        if (image.Error != null)
                        {
                            failures.Add(SeedreamErrors.ImageFailure(image.Error, image.Index, prompt, image.RequestId));
                            failedSlots.Add(new KeyValuePair<int, string>(image.Index, image.Error.Code));
                            room?.Release(); // nothing of it waits for the pipeline
                            return;
                        }

                        SeedreamImage result = ToResult(image, request, prompt, images.Count, requestedSize, model);
                        result.RequestId = image.RequestId;
                        result.IsSimulated = simulated;
                        result.LayerSetId = result.IsLayer ? layerSetId : null;
                        if (LayerLimit is int keep && result.ZIndex > keep)
                        {
                            Interlocked.Increment(ref leftOut);
                            room?.Release();
                            return;
                        }
                        if (price != null)
                        {
                            // Streamed, the count is not known yet: the first image carries the request's own charges.
                            result.Cost = price.ImagePrice(result.Width > 0 ? (long)result.Width * result.Height : (long?)null) +
                                          (deferred is null && written.Count == 0 ? price.RequestCharge(images.Count) : 0m);
                        }

                        result.Request = sent;
                        result.RequestHash = identity;
                        written.Add(deferred is null ? result.WithoutBytes() : result);
                        if (result.IsLayer && deferred != null)
                        {
                            layers.Add(result);
                            return;
                        }

                        if (deferred is null)
                        {
                            lastBytes = (int)(image.Payload?.Length ?? 0);
                            sink.WriteObject(result, whenWritten: () => room!.Release());
                        }
                        else
                        {
                            deferred.Add(() => sink.WriteObject(result));
                        }
                    },
                };

                GenerationResult answer;
                try
                {
                    answer = await client.GenerateAsync(request, observer, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // The answer broke after some images arrived (a stream cut off): those are written, then the failed slots, then the failure.
                    deferred?.InsertRange(0, LayerWrites(layers, sink));
                    deferred?.ForEach(write => write());
                    failures.ForEach(sink.WriteError);
                    _tally.Add(written.Count, written);
                    throw;
                }

                _tally.Add(answer.Usage?.GeneratedImages ?? written.Count, written);
                if (journal != null && written.Count > 0)
                {
                    Journal(journal, sink, identity, prompt, request, answer, written, failedSlots);
                }

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

                    deferred.InsertRange(0, LayerWrites(layers, sink));
                    deferred.ForEach(write => write());
                }

                if (leftOut > 0)
                {
                    sink.WriteWarning($"The answer held {leftOut} layer(s) above -MaxLayers {LayerLimit}: they were billed (every layer is) but not written. " +
                                      "The model decides how many layers to make; the request cannot ask for fewer.");
                }

                failures.ForEach(sink.WriteError);
                string usage = answer.Usage is null ? "no usage reported" : $"billed {answer.Usage.GeneratedImages} image(s), {answer.Usage.TotalTokens:N0} tokens";
                if (written.Count > 0 && written.All(w => w.Cost != null))
                {
                    usage += $", estimated {PriceRule.Money(written.Sum(w => w.Cost!.Value))} at list price";
                }
                sink.WriteVerbose($"HTTP {answer.StatusCode}, request id {answer.RequestId ?? "(none)"}: {written.Count} image(s) in " +
                                  $"{FormatElapsed(answer.Elapsed)} after {answer.Attempts} attempt(s); {usage}.");
            }, target, modelPerItem);
        }

        /// <summary>
        /// A streamed image's bytes (its decoding pieces, which may reach an older generation while the image waits) become
        /// garbage once the pipeline has taken the image. Left to itself the GC lets a dozen images pile up before a full
        /// collection (17 x one image in the benchmark's 15-image stream); one background collection after each large image
        /// written keeps the process near what it holds.
        /// </summary>
        private static void ReleasedLargeImage(int bytes)
        {
            if (bytes >= LargeImageBytes)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
            }
        }

        private const int LargeImageBytes = 4 * 1024 * 1024;

        /// <summary>Whether a broken rule involves only values bound once for the call (so every request would break it).</summary>
        private bool DoomsTheCall(RuleViolation violation)
        {
            string parameter = ParameterNameOf(violation.Field);
            if (parameter == ImageParameterName && !ImagesPerItem)
            {
                return !(Given(nameof(Model), Model) && PerItem(nameof(Model)));
            }

            bool dependsOnImages = violation.Field == RequestField.Image || violation.Field == RequestField.MaxImages;
            bool modelPerItem = Given(nameof(Model), Model) && PerItem(nameof(Model));
            return !PerItem(parameter) && !modelPerItem && !(dependsOnImages && ImagesPerItem);
        }

        /// <summary>Appends the answered request to the checkpoint; a journal that cannot be written is a warning, never a lost image.</summary>
        private static void Journal(CheckpointJournal journal, WorkSink sink, string identity, string prompt, GenerationRequest request, GenerationResult answer,
            List<SeedreamImage> written, List<KeyValuePair<int, string>> failedSlots)
        {
            var entry = new CheckpointRequest
            {
                Id = identity,
                At = DateTimeOffset.UtcNow,
                Model = request.Model,
                Prompt = prompt,
                Billed = answer.Usage?.GeneratedImages,
            };
            entry.Images.AddRange(written.Select(w => new CheckpointImage
            {
                Index = w.Index,
                Url = w.Url,
                ExpiresAt = w.ExpiresAt,
                Created = w.Created,
                Size = w.Size,
                Width = w.Width,
                Height = w.Height,
                Model = w.Model,
                OutputFormat = w.OutputFormat,
                Background = w.Background,
                Cost = w.Cost,
                RequestId = w.RequestId,
                ZIndex = w.ZIndex,
                BoundingBox = w.BoundingBox?.ToString(),
                NormalizedBoundingBox = w.BoundingBox?.Normalized?.ToString(),
                LayerName = w.LayerName,
                LayerDescription = w.LayerDescription,
                LayerSetId = w.LayerSetId,
                LayerCount = w.IsLayer ? written.Count(x => x.IsLayer) : (int?)null,
            }));
            entry.Failed.AddRange(failedSlots);
            try
            {
                journal.RecordRequest(entry);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                sink.WriteWarning($"Could not write to the checkpoint '{System.IO.Path.GetFileName(journal.Path)}': {ex.Message} A re-run would send this request again.");
            }
        }

        /// <summary>
        /// A request the checkpoint holds as answered is not sent: its images are written again (with the file Save wrote
        /// for them, or their URL while it lives). When one of them has neither, it is sent again, and said so.
        /// </summary>
        private bool Recall(string identity, string prompt, GenerationRequest request, SeedreamRequest sent, int references, SeedreamModel? model, object? target)
        {
            CheckpointRequest? recorded = _journal!.FindRequest(identity);
            if (recorded is null)
            {
                return false;
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            var recalled = new List<SeedreamImage>();
            var lost = new List<CheckpointImage>();
            int savedCount = 0;
            foreach (CheckpointImage image in recorded.Images.OrderBy(i => i.ZIndex ?? i.Index)) // layers in stacking order
            {
                string? file = _journal.FindFile(CheckpointJournal.ImageKey(identity, image.Index, null, null))?.File;
                bool saved = file != null && File.Exists(file);
                if (!saved && !image.UrlAlive(now))
                {
                    lost.Add(image);
                    continue;
                }

                savedCount += saved ? 1 : 0;
                recalled.Add(new SeedreamImage
                {
                    Index = image.Index,
                    Url = image.Url,
                    Size = image.Size,
                    Width = image.Width,
                    Height = image.Height,
                    Model = image.Model ?? request.Model,
                    Prompt = prompt,
                    Mode = request.Mode,
                    ReferenceCount = references,
                    Created = image.Created,
                    ExpiresAt = image.ExpiresAt,
                    OutputFormat = OutputFormatOf(image.OutputFormat, request, model),
                    Background = image.Background,
                    Cost = image.Cost,
                    RequestId = image.RequestId,
                    Request = sent,
                    RequestHash = identity,
                    SavedFile = saved ? file : null,
                    FromCheckpoint = true,
                    IsSimulated = ProviderInfo.IsSimulated, // the identity names the provider: recalled under the one that made it
                    ZIndex = image.ZIndex,
                    BoundingBox = SeedreamBoundingBox.Parse(image.BoundingBox, image.NormalizedBoundingBox),
                    LayerName = image.LayerName,
                    LayerDescription = image.LayerDescription,
                    LayerSetId = image.LayerSetId,
                    LayerCount = image.LayerCount,
                });
            }

            if (lost.Count > 0)
            {
                string expired = lost.Any(l => l.ExpiresAt != null) ? $" (its URL expired at {lost.Where(l => l.ExpiresAt != null).Min(l => l.ExpiresAt!.Value):u})" : " (its bytes were inline and never saved)";
                WriteWarning($"Checkpoint: {Describe(prompt)} was answered at {recorded.At:u}, but image(s) {string.Join(", ", lost.Select(l => l.Index))} " +
                             $"were not saved and can no longer be fetched{expired}: sending the request again (it is billed again).");
                return false;
            }

            _tally.AddRecalled(recalled.Count);
            string slots = recorded.Failed.Count == 0 ? "" : $"; slot(s) {string.Join(", ", recorded.Failed.Select(f => $"{f.Key} ({f.Value})"))} failed then";
            string detail = $"{recalled.Count} image(s) from the checkpoint, {savedCount} already saved, {recalled.Count - savedCount} by URL{slots}";
            if (IsWhatIf)
            {
                WriteVerbose($"Checkpoint: {Describe(prompt)} would not be sent: answered at {recorded.At:u} ({detail}).");
                return true;
            }

            WriteInOrder(sink =>
            {
                sink.WriteVerbose($"Checkpoint: not sent: {Describe(prompt)} was answered at {recorded.At:u}; {detail}.");
                recalled.ForEach(image => sink.WriteObject(image.IsLayer ? AsLayer(image) : image));
            }, target);
            return true;
        }

        /// <summary>True when this call runs under -WhatIf (or $WhatIfPreference).</summary>
        private bool IsWhatIf =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
                ? LanguagePrimitives.IsTrue(whatIf)
                : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

        private void NoteWhatIf(GenerationRequest request, ModelChoice choice, int references)
        {
            if (!IsWhatIf)
            {
                return;
            }

            _tally.WhatIfRequests++;
            _tally.WhatIfImages += request.MaxOutputImages;
            if (choice.Offer is null)
            {
                _tally.WhatIfUnpriced++;
            }
            else
            {
                _tally.WhatIfCost += choice.Offer.Price.Estimate(request.MaxOutputImages, RequestRules.PixelsOf(request.Size, choice.Model), references);
            }
        }

        /// <summary>The call's one-line cost summary: information stream (tags Seedream, Summary) and -Verbose; under -WhatIf the batch's most, as the last line.</summary>
        private void WriteSummary()
        {
            if (_tally.Items == 0 || _tally.Written)
            {
                return;
            }

            _tally.Written = true;
            SeedreamBatchSummary summary = _tally.Summary();
            WriteVerbose(summary.ToString());
            WriteInformation(new InformationRecord(summary, MyInvocation.MyCommand.Name) { Tags = { "Seedream", "Summary" } });
            if (_tally.WhatIfRequests > 0)
            {
                string unpriced = _tally.WhatIfUnpriced == 0 ? "" : $" ({_tally.WhatIfUnpriced} request(s) for a model the catalog does not price are not counted)";
                ShouldProcess($"Seedream batch: {_tally.WhatIfRequests} request(s), up to {_tally.WhatIfImages} billed image(s), estimated cost up to " +
                              $"{PriceRule.Money(_tally.WhatIfCost)} at list price{unpriced}" +
                              (_tally.RecalledImages > 0 ? $"; {_tally.RecalledImages} image(s) from the checkpoint cost nothing." : "."),
                              "", "");
            }
        }

        protected override void OnStopping() => WriteSummary();

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

            WriteSummary();
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
            if (IsBound(nameof(Model)) && !PerItem(nameof(Model)) && string.IsNullOrWhiteSpace(Model))
            {
                StopWithError(SeedreamErrors.InvalidParameterRecord(nameof(Model),
                    $"the model must not be empty; leave -Model out for {ProviderInfo.Name}'s default ({ProviderInfo.DefaultModel}), or name one: {catalog.NamesOn(ProviderInfo, _ => true)}.", Model));
            }

            bool given = Given(nameof(Model), Model);
            (ModelChoice, string)? own = !given ? DefaultModel(catalog) : null;
            ModelChoice choice = own?.Item1 ?? (!given ? catalog.Default(ProviderInfo) : catalog.Choose(Model!, ProviderInfo));

            // Said once per model: a batch whose rows name their own models hears about each of them.
            if (!_warnedModels.Add(given ? Model!.Trim() : ""))
            {
                return choice;
            }

            WriteVerbose(own?.Item2 ?? (!given
                ? $"No -Model: {ProviderInfo.Name}'s default is {choice.Model?.Family}, sent as {choice.WireId}."
                : choice.Description));
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

        /// <summary>The model used without -Model, with the -Verbose line that says why; null for the provider's default.</summary>
        protected virtual (ModelChoice Choice, string Reason)? DefaultModel(SeedreamCatalog catalog) => null;

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
            RequestField.LayerDecomposition => nameof(Model),
            _ => field.ToString(),
        };

        /// <summary>The header of an inline image, read from its pieces; null when it is not one the module reads.</summary>
        private static ImageHeader? ReadHeader(ImagePayload payload)
        {
            using Stream bytes = payload.OpenRead();
            return ImageHeaderReader.TryRead(bytes, out ImageHeader header, out _) ? header : (ImageHeader?)null;
        }

        /// <summary>An image's format: what the answer (or the checkpoint) says, else what was asked, else the model's default.</summary>
        private static string OutputFormatOf(string? answered, GenerationRequest request, SeedreamModel? model) =>
            answered ?? request.OutputFormat ?? model?.DefaultOutputFormat ?? "jpeg";

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
                OutputFormat = OutputFormatOf(image.OutputFormat, request, model),
                Background = image.Background,
                Payload = image.Payload,
            };
            result.ExpiresAt = image.Url != null ? result.Created + ModelCatalog.UrlLifetime : (DateTimeOffset?)null;

            if (image.Payload != null && ReadHeader(image.Payload) is { } header)
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

            if (image.ZIndex is int z)
            {
                result.ZIndex = z;
                result.LayerName = image.LayerName ?? (z == 0 ? "base" : null);
                result.LayerDescription = image.LayerDescription;
                result.BoundingBox = Box(image.BoundingBox) ?? (z == 0 && result.Width > 0 ? new SeedreamBoundingBox { Right = result.Width, Bottom = result.Height } : null);
                if (result.BoundingBox != null)
                {
                    result.BoundingBox.Normalized = Box(image.NormalizedBoundingBox) ??
                        (image.BoundingBox is null ? new SeedreamBoundingBox { Right = 1000, Bottom = 1000 } : null);
                }
            }

            return result;
        }

        /// <summary>The writes of an answer's layers, in stacking order, each knowing how many the set holds.</summary>
        private static IEnumerable<Action> LayerWrites(List<SeedreamImage> layers, WorkSink sink)
        {
            foreach (SeedreamImage layer in layers.OrderBy(l => l.ZIndex))
            {
                layer.LayerCount = layers.Count;
                yield return () => sink.WriteObject(AsLayer(layer));
            }
        }

        /// <summary>A layer goes down the pipeline with the type name of its own view (Seedream.SeedreamImage#Layer) first.</summary>
        internal static PSObject AsLayer(SeedreamImage layer)
        {
            var wrapped = new PSObject(layer);
            wrapped.TypeNames.Insert(0, LayerTypeName);
            return wrapped;
        }

        internal const string LayerTypeName = "Seedream.SeedreamImage#Layer";

        private static SeedreamBoundingBox? Box(int[]? edges) =>
            edges is null ? null : new SeedreamBoundingBox { Left = edges[0], Top = edges[1], Right = edges[2], Bottom = edges[3] };

        /// <summary>With a transparent background and no -OutputFormat, the output format the model needs for it (the catalog's png); else none is sent.</summary>
        private string? ImpliedOutputFormat(SeedreamModel? model)
        {
            if (!string.Equals(BackgroundMode, "transparent", StringComparison.Ordinal) || !(model?.Background?.Transparent?.OutputFormat is string needed))
            {
                return null;
            }

            if (!_notedFormat)
            {
                _notedFormat = true;
                WriteVerbose($"-Background Transparent without -OutputFormat: output_format {needed} is sent ({model.Family} needs it for a transparent background).");
            }

            return needed;
        }

        private static string FormatElapsed(TimeSpan elapsed) =>
            elapsed < TimeSpan.FromSeconds(1) ? $"{elapsed.TotalMilliseconds:0} ms" : $"{elapsed.TotalSeconds:0.00} s";

        /// <summary>What -WhatIf and -Confirm name as the target: the prompt (Split: the image, and its prompt when there is one).</summary>
        protected virtual string DescribeTarget(string prompt, IReadOnlyList<ReferenceImage> images) => Describe(prompt);

        protected static string Describe(string prompt) => prompt.Length <= 60 ? $"'{prompt}'" : $"'{prompt.Substring(0, 57)}...'";

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

            string billed = request.LayerDecomposition
                ? request.LayerCap is int cap
                    ? $"up to {images} billed image(s) (the base image and up to {cap} layers, each layer billed as an image)"
                    : "the base image and every layer billed as an image"
                : $"up to {images} billed image(s)";
            return $"{request.Mode} with {request.Model} on {ProviderInfo.Name}: {references} reference image(s), {billed}, {cost}";
        }
    }
}
