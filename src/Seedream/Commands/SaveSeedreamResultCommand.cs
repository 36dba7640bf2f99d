using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Save-SeedreamResult: writes results to files. Downloads hosted URLs (without the API key) or writes inline bytes;
    /// the extension comes from the bytes themselves. Each file is written to a temporary name in the target folder
    /// and renamed only when complete, so no partial file is ever left under the final name. The folder is resolved
    /// through <see cref="PathResolver"/> (PSDrives work; other providers are refused), and the names one call makes
    /// never collide with each other (<see cref="FileNameReservations"/>).
    /// </summary>
    [Cmdlet(VerbsData.Save, "SeedreamResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveSeedreamResultCommand : NetworkCmdlet
    {
        public const string DefaultNameTemplate = "seedream-{created}-{id}-{index}";

        /// <summary>The default for the layers of a decomposition: one stem per layer set, then the z-index and the layer's name, so the files sort in stacking order.</summary>
        public const string DefaultLayerNameTemplate = "seedream-{created}-{id}-{z}-{layer}";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const int ProgressActivityId = 0x5EEE;
        private readonly ConcurrentDictionary<DownloadCounter, bool> _downloads = new ConcurrentDictionary<DownloadCounter, bool>();
        private readonly FileNameReservations _names = new FileNameReservations();
        private readonly FileNameReservations _manifestNames = new FileNameReservations();
        private readonly Dictionary<string, LayerManifest?> _layerSets = new Dictionary<string, LayerManifest?>(StringComparer.Ordinal);
        private int _filesQueued;
        private string _folder = "";

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [SeedreamImageTransformation]
        public SeedreamImage[] InputObject { get; set; } = Array.Empty<SeedreamImage>();

        /// <summary>The folder to write into; created when missing. The current location by default. Wildcards must match one folder.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string? Path { get; set; }

        /// <summary>The folder to write into, taken exactly as typed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        /// <summary>File name without extension; tokens {created} {index} {id} {model} {prompt} {width} {height} {z} {layer}.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NameTemplateCompleter))]
        public string NameTemplate { get; set; } = DefaultNameTemplate;

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The largest image a download may bring.</summary>
        [Parameter]
        [ValidateRange(1, long.MaxValue)]
        public long MaxDownloadBytes { get; set; } = 100L * 1024 * 1024;

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        /// <summary>Where the record of how each image was made goes: into the file (Embed), beside it (Sidecar), or nowhere.</summary>
        [Parameter]
        public ProvenanceMode Provenance { get; set; } = ProvenanceMode.Embed;

        /// <summary>The same as -Provenance None.</summary>
        [Parameter]
        public SwitchParameter NoProvenance { get; set; }

        /// <summary>Layers of a decomposition are saved without their manifest (&lt;stem&gt;.layers.json, written by default).</summary>
        [Parameter]
        public SwitchParameter NoLayerManifest { get; set; }

        /// <summary>The checkpoint journal: each file saved is recorded, and images it records as saved (the file still there) are skipped.</summary>
        [Parameter]
        public string? CheckpointPath { get; set; }

        private Checkpoint.CheckpointJournal? _journal;
        private int _skipped;

        protected override int ThrottleLimitValue => ThrottleLimit;

        /// <summary>Downloads of the simulator's own URLs are answered by the simulator (made on the pipeline thread at the first); others go out.</summary>
        private Simulator.SimulatorHandler? _simulator;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (FileNames.CheckTemplate(NameTemplate) is string problem)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(NameTemplate), problem, NameTemplate));
            }

            bool literal = ParameterSetName == LiteralPathSet;
            try
            {
                _folder = PathResolver.ResolveFolder(this, literal ? LiteralPath : Path, literal, literal ? nameof(LiteralPath) : nameof(Path));
            }
            catch (SeedreamValidationException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, SeedreamErrors.InvalidParameter, ErrorCategory.InvalidArgument, literal ? LiteralPath : Path));
            }

            if (NoProvenance.IsPresent && MyInvocation.BoundParameters.ContainsKey(nameof(Provenance)) && Provenance != ProvenanceMode.None)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(NoProvenance), $"-NoProvenance cannot be combined with -Provenance {Provenance}.", Provenance));
            }

            if (CheckpointPath != null)
            {
                _journal = Checkpoints.Open(this, CheckpointPath);
            }
        }

        /// <summary>An image the checkpoint records as saved, its file still there: not saved again (-PassThru writes the file).</summary>
        private bool SkipSaved(SeedreamImage image, string key)
        {
            if (_journal?.FindFile(key) is { } saved && File.Exists(saved.File))
            {
                _skipped++;
                WriteInOrder(sink =>
                {
                    sink.WriteVerbose($"Checkpoint: image {image.Index} of '{image.Prompt}' is already saved as {System.IO.Path.GetFileName(saved.File)}; not saved again.");
                    if (PassThru.IsPresent)
                    {
                        sink.WriteObject(cmdlet => PathResolver.GetItem(cmdlet, saved.File));
                    }
                }, image);
                return true;
            }

            return false;
        }

        protected override void ProcessRecord()
        {
            foreach (SeedreamImage image in InputObject)
            {
                if (image is null)
                {
                    continue;
                }

                string key = Checkpoint.CheckpointJournal.ImageKey(image.RequestHash, image.Index, image.Url, image.Payload);
                if (SkipSaved(image, key))
                {
                    continue;
                }

                string template = image.IsLayer && !MyInvocation.BoundParameters.ContainsKey(nameof(NameTemplate)) ? DefaultLayerNameTemplate : NameTemplate;
                string baseName = _names.Reserve(FileNames.Expand(template, image));
                string expected = System.IO.Path.Combine(_folder, baseName + ExtensionFor(image.OutputFormat));
                LayerManifest? layerSet = LayerSetOf(image, template);
                if (!ShouldProcess(expected, "Save Seedream image"))
                {
                    continue;
                }

                if (File.Exists(expected) && !Force.IsPresent)
                {
                    WriteError(ExistsError(expected, image));
                    continue;
                }

                if (!image.HasImageBytes && image.Url is null)
                {
                    WriteError(new ErrorRecord(new SeedreamException("The result holds neither a URL nor image bytes."), "Seedream.NothingToSave", ErrorCategory.InvalidData, image));
                    continue;
                }

                if (!image.HasImageBytes && !IsDownloadable(image.Url!))
                {
                    WriteError(new ErrorRecord(
                        new SeedreamDownloadException("The result's URL is not an absolute http or https URL; only those are downloaded.", DownloadFailure.UnsupportedScheme),
                        "Seedream.UnsupportedUrl", ErrorCategory.SecurityError, image));
                    continue;
                }

                if (!image.HasImageBytes && image.IsExpired)
                {
                    WriteError(new ErrorRecord(
                        new SeedreamException($"The image URL expired at {image.ExpiresAt:u}; hosted images live 24 hours. Generate it again, or use -ResponseFormat Base64Json to keep the bytes."),
                        "Seedream.UrlExpired", ErrorCategory.ResourceUnavailable, image));
                    continue;
                }

                // A simulated image's URL is answered in process: decided here, once, and handed to the download.
                Simulator.SimulatorHandler? simulator = !image.HasImageBytes && Simulator.SimulatedImage.IsSimulatorUrl(new Uri(image.Url!))
                    ? _simulator ??= Simulator.SimulatorSetup.Handler()
                    : null;

                _filesQueued++;
                RequestProgress();
                StartWork((sink, token) => SaveAsync(image, baseName, expected, key, layerSet, simulator, sink, token), image);
            }
        }

        /// <summary>The manifest of the image's layer set, started when its first image is saved; null for other images or with -NoLayerManifest.</summary>
        private LayerManifest? LayerSetOf(SeedreamImage image, string template)
        {
            if (NoLayerManifest.IsPresent || !image.IsLayer || string.IsNullOrEmpty(image.LayerSetId))
            {
                return null;
            }

            if (!_layerSets.TryGetValue(image.LayerSetId!, out LayerManifest? set))
            {
                string stem = _manifestNames.Reserve(FileNames.Expand(FileNames.WithoutLayerTokens(template), image));
                set = new LayerManifest(image, System.IO.Path.Combine(_folder, stem + LayerManifest.Extension));

                // -WhatIf names the manifest once per set; declined (-Confirm), the set's manifest is not written.
                set = ShouldProcess(set.Path, "Save Seedream layer manifest") ? set : null;
                _layerSets.Add(image.LayerSetId!, set);
            }

            return set;
        }

        /// <summary>After the last image: the manifests of layer sets not all of whose images were saved here, with the ones that were.</summary>
        protected override void EndProcessing()
        {
            base.EndProcessing();
            foreach (LayerManifest? set in _layerSets.Values)
            {
                if (set?.TryTakeUnwritten() is { } entries && entries.Count > 0)
                {
                    WriteManifest(set, entries, WriteVerbose, WriteError, file => WriteObject(PathResolver.GetItem(this, file)));
                }
            }
        }

        private void WriteManifest(LayerManifest set, IReadOnlyList<LayerManifest.Entry> entries, Action<string> verbose, Action<ErrorRecord> error, Action<string> passThru)
        {
            try
            {
                if (set.Write(entries, Force.IsPresent))
                {
                    verbose($"Saved the layer manifest of {entries.Count} image(s) of layer set {set.LayerSetId} to {set.Path}" +
                            (entries.Count < set.Total ? $" ({set.Total - entries.Count} of the set's {set.Total} were not saved by this command)." : "."));
                    if (PassThru.IsPresent)
                    {
                        passThru(set.Path);
                    }
                }
                else
                {
                    error(new ErrorRecord(new IOException($"'{set.Path}' already exists; use -Force to overwrite it, or -NoLayerManifest."), SeedreamErrors.FileExists, ErrorCategory.ResourceExists, set.Path));
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                error(new ErrorRecord(ex, SeedreamErrors.WriteFailed, ErrorCategory.WriteError, set.Path));
            }
        }

        private async Task SaveAsync(SeedreamImage image, string baseName, string expected, string key, LayerManifest? layerSet, Simulator.SimulatorHandler? simulator, WorkSink sink, CancellationToken cancellationToken)
        {
            string temporary = System.IO.Path.Combine(_folder, $".{baseName}.{Guid.NewGuid():N}.partial");
            var counter = new DownloadCounter();
            try
            {
                using (FileStream file = CreateTemporary(temporary, expected))
                {
                    if (image.Payload != null)
                    {
                        await image.Payload.WriteToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var url = new Uri(image.Url!);
                        ConnectionSettings settings = ConnectionSettings;
                        if (simulator != null)
                        {
                            settings.InProcessHandler = simulator;
                        }

                        var downloader = new ImageDownloader(HttpClientCache.Get(settings), RetryPolicy)
                        {
                            MaxBytes = MaxDownloadBytes,
                            Timeout = TimeSpan.FromSeconds(TimeoutSec),
                        };
                        sink.WriteVerbose($"GET {ImageDownloader.DescribeUrl(url)}");
                        _downloads[counter] = true;
                        await downloader.DownloadAsync(url, file, counter.Report, VerboseRetry(sink, "Download"), cancellationToken).ConfigureAwait(false);
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                ImageFormat? format = SniffFormat(temporary);
                if (format is null)
                {
                    throw new InvalidDataException($"What was received for image {image.Index} is not a PNG, JPEG, WebP, BMP, TIFF or GIF image; nothing was saved.");
                }

                if (!image.HasImageBytes) ImageStructure.EnsureComplete(temporary, $"The download of image {image.Index}");

                string final = System.IO.Path.Combine(_folder, baseName + format.Value.FileExtension());
                if (File.Exists(final) && !Force.IsPresent)
                {
                    sink.WriteError(ExistsError(final, image));
                    return;
                }

                string recorded = SavedProvenance.Apply(NoProvenance.IsPresent ? ProvenanceMode.None : Provenance, image, temporary, final, Force.IsPresent, sink.WriteWarning, cancellationToken);
                if (!MoveIntoPlace(temporary, final))
                {
                    sink.WriteError(ExistsError(final, image));
                    return;
                }

                long length = new FileInfo(final).Length;
                sink.WriteVerbose($"Saved image {image.Index} ({length:N0} bytes) to {final}, {recorded}.");
                if (_journal != null && key.Length > 0)
                {
                    try
                    {
                        _journal.RecordFile(new Checkpoint.CheckpointFile { Key = key, File = final, Length = length, At = DateTimeOffset.UtcNow });
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        sink.WriteWarning($"Could not write to the checkpoint '{System.IO.Path.GetFileName(_journal.Path)}': {ex.Message} A re-run would save this image again.");
                    }
                }

                if (PassThru.IsPresent)
                {
                    sink.WriteObject(cmdlet => PathResolver.GetItem(cmdlet, final));
                }

                // The image that completes its layer set writes the set's manifest (after its own file).
                if (layerSet?.Saved(image, System.IO.Path.GetFileName(final)) is { } complete)
                {
                    WriteManifest(layerSet, complete, sink.WriteVerbose, sink.WriteError, file => sink.WriteObject(cmdlet => PathResolver.GetItem(cmdlet, file)));
                }
            }
            finally
            {
                _downloads.TryRemove(counter, out _);
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>
        /// Creates the folder and the hidden temporary file. A failure names the file the user asked for (and the folder),
        /// never the temporary name.
        /// </summary>
        private FileStream CreateTemporary(string temporary, string expected)
        {
            try
            {
                Directory.CreateDirectory(_folder);
                // Unbuffered (buffer size 1): what is written comes in 64 KB pieces or 80 KB download reads already.
                return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new UnauthorizedAccessException($"Cannot write '{expected}': access to the folder '{_folder}' is denied.", ex);
            }
            catch (IOException ex)
            {
                // The system's message names the temporary file; say the one the user asked for instead.
                throw new IOException($"Cannot write '{expected}': {FirstSentence(ex).Replace(temporary, expected)}.", ex);
            }
        }

        /// <summary>
        /// Renames the complete temporary file to its final name; false when the name is taken and -Force is not given.
        /// Another process (or a second Save-SeedreamResult) may create the same name at the same moment: without -Force
        /// that is reported as the name being taken, with -Force the newer file replaces it.
        /// </summary>
        private bool MoveIntoPlace(string temporary, string final)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    if (File.Exists(final))
                    {
                        if (!Force.IsPresent)
                        {
                            return false;
                        }

                        File.Replace(temporary, final, null);
                    }
                    else
                    {
                        File.Move(temporary, final);
                    }

                    return true;
                }
                catch (IOException) when (attempt < 3 && File.Exists(temporary))
                {
                    // The final name appeared (Move) or vanished (Replace) since it was looked at: look again.
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw new UnauthorizedAccessException($"Cannot write '{final}': {FirstSentence(ex)}", ex);
                }
            }
        }

        private static string FirstSentence(Exception ex)
        {
            string message = ex.Message;
            int end = message.IndexOf(". ", StringComparison.Ordinal);
            return (end > 0 ? message.Substring(0, end) : message).TrimEnd('.');
        }

        protected override void OnProgressTick()
        {
            long done = 0, total = 0;
            double fraction = 0;
            bool lengthKnown = true;
            foreach (DownloadCounter download in _downloads.Keys)
            {
                (long bytes, long? length) = download.Read();
                done += bytes;
                if (length is long known && known > 0)
                {
                    total += known;
                    fraction += Math.Min(1.0, (double)bytes / known);
                }
                else
                {
                    lengthKnown = false;
                }
            }

            int files = Math.Max(_filesQueued, StartedItems);
            string bytesText = _downloads.IsEmpty ? "" : lengthKnown ? $"; downloading {done:N0} of {total:N0} bytes" : $"; downloaded {done:N0} bytes";
            int percent = files == 0 ? 0 : (int)((CompletedItems + fraction) * 100 / files);
            WriteProgress(Progress.Record(ProgressActivityId, "Seedream: saving images", $"{CompletedItems} of {files} file(s) saved{bytesText}", percent));
        }

        protected override void OnAllWorkDone()
        {
            if (Progress.Shown)
            {
                WriteProgress(Progress.Completed(ProgressActivityId, "Seedream: saving images"));
            }

            if (_journal != null)
            {
                WriteVerbose($"Checkpoint: {StartedItems} image(s) saved or attempted, {_skipped} skipped as already saved.");
            }
        }

        private static bool IsDownloadable(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        private static ImageFormat? SniffFormat(string path)
        {
            byte[] head = new byte[16];
            int read;
            using (var file = File.OpenRead(path))
            {
                read = file.Read(head, 0, head.Length);
            }

            return ImageHeaderReader.DetectFormat(new ReadOnlySpan<byte>(head, 0, read));
        }

        private static string ExtensionFor(string outputFormat) =>
            string.Equals(outputFormat, "png", StringComparison.OrdinalIgnoreCase) ? ".png" : ".jpg";

        private static ErrorRecord ExistsError(string path, SeedreamImage image) =>
            new ErrorRecord(new IOException($"'{path}' already exists; use -Force to overwrite it."), SeedreamErrors.FileExists, ErrorCategory.ResourceExists, image);

        /// <summary>Bytes received so far by one download, and its length when the server said it; written by the download, read by progress.</summary>
        private sealed class DownloadCounter
        {
            private long _done;
            private long _total = -1;

            public void Report(long done, long? total)
            {
                Interlocked.Exchange(ref _total, total ?? -1);
                Interlocked.Exchange(ref _done, done);
            }

            public (long Done, long? Total) Read()
            {
                long total = Interlocked.Read(ref _total);
                return (Interlocked.Read(ref _done), total >= 0 ? total : (long?)null);
            }
        }
    }

    /// <summary>
    /// The file names one Save-SeedreamResult call has handed out. A name the call already used gets a suffix (-2, -3,
    /// ...), so images never overwrite each other, whatever the template, -Force or -ThrottleLimit. Names differing only
    /// in case are the same name on Windows and macOS, whose file systems ignore case by default.
    /// </summary>
    internal sealed class FileNameReservations
    {
        private readonly HashSet<string> _taken;

        public FileNameReservations(bool? ignoreCase = null)
        {
            bool caseInsensitive = ignoreCase ?? (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX));
            _taken = new HashSet<string>(caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        }

        /// <summary>The base name (without extension) to use: <paramref name="name"/>, or with the first free suffix.</summary>
        public string Reserve(string name)
        {
            if (_taken.Add(name))
            {
                return name;
            }

            for (int n = 2; ; n++)
            {
                string candidate = $"{name}-{n}";
                if (_taken.Add(candidate))
                {
                    return candidate;
                }
            }
        }
    }

    /// <summary>
    /// File names from a template. The tokens are exactly those of <see cref="Tokens"/>, lower-case; any other {...} is
    /// refused before anything is saved. Every value is sanitized, so nothing from a prompt or URL can leave the folder,
    /// and an image extension at the end of the template is dropped: the extension always comes from the image's bytes.
    /// </summary>
    public static class FileNames
    {
        private const int MaxTokenLength = 40;
        private static readonly Regex TokenPattern = new Regex(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);
        private static readonly string[] ImageExtensions = { ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif" };

        /// <summary>The template tokens and what each becomes (the completer offers them with these descriptions).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Tokens { get; } = new[]
        {
            new KeyValuePair<string, string>("{created}", "creation time, UTC: yyyyMMdd-HHmmss"),
            new KeyValuePair<string, string>("{id}", "six hex characters that tell apart images made in the same second"),
            new KeyValuePair<string, string>("{index}", "the image's position in its answer, from 0"),
            new KeyValuePair<string, string>("{model}", "the model id"),
            new KeyValuePair<string, string>("{prompt}", "the first 40 characters of the prompt"),
            new KeyValuePair<string, string>("{width}", "width in pixels"),
            new KeyValuePair<string, string>("{height}", "height in pixels"),
            new KeyValuePair<string, string>("{z}", "a layer's z-index, two digits or more (00 = the base image); empty for other images"),
            new KeyValuePair<string, string>("{layer}", "a layer's name (base for the base image); empty for other images"),
        };

        /// <summary>Null when every {...} in the template is a known token; else the rule, naming the known tokens.</summary>
        public static string? CheckTemplate(string template)
        {
            if (string.IsNullOrWhiteSpace(template))
            {
                return $"must not be empty; use tokens such as {KnownTokens} and plain text.";
            }

            foreach (Match match in TokenPattern.Matches(template))
            {
                if (!Tokens.Any(t => t.Key == match.Value))
                {
                    string? cased = Tokens.Select(t => t.Key).FirstOrDefault(t => string.Equals(t, match.Value, StringComparison.OrdinalIgnoreCase));
                    string hint = cased != null ? $" (tokens are lower-case: {cased})" : "";
                    return $"'{match.Value}' is not a name template token{hint}; the tokens are {KnownTokens}.";
                }
            }

            return null;
        }

        private static string KnownTokens => string.Join(" ", Tokens.Select(t => t.Key));

        public static string Expand(string template, SeedreamImage image)
        {
            string expanded = TokenPattern.Replace(template, match => match.Value switch
            {
                "{created}" => image.Created.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
                "{index}" => image.Index.ToString(CultureInfo.InvariantCulture),
                "{id}" => ShortId(image),
                "{model}" => image.Model,
                "{prompt}" => Shorten(image.Prompt),
                "{width}" => image.Width.ToString(CultureInfo.InvariantCulture),
                "{height}" => image.Height.ToString(CultureInfo.InvariantCulture),
                "{z}" => image.ZIndex is int z ? z.ToString("D" + Math.Max(2, ((image.LayerCount ?? 1) - 1).ToString(CultureInfo.InvariantCulture).Length), CultureInfo.InvariantCulture) : "",
                "{layer}" => image.IsLayer ? Shorten(image.LayerName ?? (image.ZIndex == 0 ? "base" : "layer")) : "",
                _ => match.Value,
            });
            string sanitized = Sanitize(WithoutImageExtension(expanded));
            return sanitized.Length == 0 ? "seedream" : sanitized;
        }

        /// <summary>
        /// The template with {z} and {layer} taken out (and the separators left around them): the stem the layer manifest of a
        /// set is named after (seedream-{created}-{id}-{z}-{layer} gives seedream-{created}-{id}).
        /// </summary>
        public static string WithoutLayerTokens(string template)
        {
            string stem = Regex.Replace(template, @"[-_. ]*\{(z|layer)\}", "", RegexOptions.CultureInvariant).Trim('-', '_', '.', ' ');
            return stem.Length == 0 ? "layers" : stem;
        }

        /// <summary>pic.jpg becomes pic: the saved file gets the extension of its real format, never pic.jpg.jpg.</summary>
        private static string WithoutImageExtension(string name)
        {
            string? extension = ImageExtensions.FirstOrDefault(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase) && name.Length > e.Length);
            return extension is null ? name : name.Substring(0, name.Length - extension.Length);
        }

        /// <summary>Keeps letters, digits, '-', '_' and inner dots; everything else (separators, '..', control characters) becomes '_'.</summary>
        public static string Sanitize(string name)
        {
            var clean = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                clean.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
            }

            string result = clean.ToString().Trim('.', ' ');
            while (result.Contains(".."))
            {
                result = result.Replace("..", "_");
            }

            result = result.Length > 150 ? result.Substring(0, 150) : result;

            // Windows reserves device names (CON, NUL, COM1...) with any extension: a file can never be called that.
            string stem = result.Split('.')[0];
            return ReservedDeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase) ? "_" + result : result;
        }

        private static readonly string[] ReservedDeviceNames =
            new[] { "CON", "PRN", "AUX", "NUL" }
                .Concat(Enumerable.Range(1, 9).Select(n => "COM" + n))
                .Concat(Enumerable.Range(1, 9).Select(n => "LPT" + n))
                .ToArray();

        /// <summary>
        /// Six hex characters that tell apart images created in the same second: from the request id, else the URL, else
        /// the image's own bytes (a streamed Base64Json answer may come without a request id), else prompt and time.
        /// </summary>
        private static string ShortId(SeedreamImage image)
        {
            // Sha256Hash, not SHA256.Create(): that throws under FIPS policy on Windows PowerShell.
            string? source = !string.IsNullOrEmpty(image.RequestId) ? image.RequestId : !string.IsNullOrEmpty(image.Url) ? image.Url : null;
            using Stream hashed = source != null ? new MemoryStream(Encoding.UTF8.GetBytes(source))
                : image.Payload?.OpenRead() ?? new MemoryStream(Encoding.UTF8.GetBytes(image.Prompt + image.Created.ToUnixTimeMilliseconds()));
            return Sha256Hash.Hex(hashed).Substring(0, 6);
        }

        private static string Shorten(string text) => text.Length > MaxTokenLength ? text.Substring(0, MaxTokenLength) : text;
    }
}
