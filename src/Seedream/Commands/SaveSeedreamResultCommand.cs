using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Save-SeedreamResult: writes results to files. Downloads hosted URLs (without the API key) or writes inline bytes;
    /// the extension comes from the bytes themselves. Each file is written to a temporary name in the target folder
    /// and renamed only when complete, so no partial file is ever left under the final name.
    /// </summary>
    [Cmdlet(VerbsData.Save, "SeedreamResult", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveSeedreamResultCommand : NetworkCmdlet
    {
        public const string DefaultNameTemplate = "seedream-{created}-{id}-{index}";
        private const int ProgressActivityId = 0x5EEE;
        private long _bytesDone;
        private long _bytesTotal = -1; // -1: the current download did not say its length
        private bool _progressShown;
        private int _filesQueued;
        private string _folder = "";

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [SeedreamImageTransformation]
        public SeedreamImage[] InputObject { get; set; } = Array.Empty<SeedreamImage>();

        /// <summary>The folder to write into; created when missing. The current location by default.</summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        /// <summary>File name without extension; tokens {created} {index} {id} {model} {prompt} {width} {height}.</summary>
        [Parameter]
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

        protected override int ThrottleLimitValue => ThrottleLimit;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _folder = GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(Path) ? "." : Path);
            if (File.Exists(_folder))
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(Path), $"'{_folder}' is a file; give a folder to save into.", Path));
            }

            if (NoProvenance.IsPresent && MyInvocation.BoundParameters.ContainsKey(nameof(Provenance)) && Provenance != ProvenanceMode.None)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(NoProvenance), $"-NoProvenance cannot be combined with -Provenance {Provenance}.", Provenance));
            }
        }

        protected override void ProcessRecord()
        {
            foreach (SeedreamImage image in InputObject)
            {
                if (image is null)
                {
                    continue;
                }

                string baseName = FileNames.Expand(NameTemplate, image);
                string expected = System.IO.Path.Combine(_folder, baseName + ExtensionFor(image.OutputFormat));
                if (!ShouldProcess(expected, "Save Seedream image"))
                {
                    continue;
                }

                if (File.Exists(expected) && !Force.IsPresent)
                {
                    WriteError(ExistsError(expected, image));
                    continue;
                }

                if (image.ImageBytes is null && image.Url is null)
                {
                    WriteError(new ErrorRecord(new SeedreamException("The result holds neither a URL nor image bytes."), "Seedream.NothingToSave", ErrorCategory.InvalidData, image));
                    continue;
                }

                if (image.ImageBytes is null && !IsDownloadable(image.Url!))
                {
                    WriteError(new ErrorRecord(
                        new SeedreamDownloadException("The result's URL is not an absolute http or https URL; only those are downloaded.", DownloadFailure.UnsupportedScheme),
                        "Seedream.UnsupportedUrl", ErrorCategory.SecurityError, image));
                    continue;
                }

                if (image.ImageBytes is null && image.IsExpired)
                {
                    WriteError(new ErrorRecord(
                        new SeedreamException($"The image URL expired at {image.ExpiresAt:u}; hosted images live 24 hours. Generate it again, or use -ResponseFormat Base64Json to keep the bytes."),
                        "Seedream.UrlExpired", ErrorCategory.ResourceUnavailable, image));
                    continue;
                }

                _filesQueued++;
                OnProgressTick();
                StartWork((sink, token) => SaveAsync(image, baseName, sink, token), image);
            }
        }

        private async Task SaveAsync(SeedreamImage image, string baseName, WorkSink sink, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(_folder);
            string temporary = System.IO.Path.Combine(_folder, $".{baseName}.{Guid.NewGuid():N}.partial");
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    if (image.ImageBytes != null)
                    {
                        await file.WriteAsync(image.ImageBytes, 0, image.ImageBytes.Length, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var downloader = new ImageDownloader(HttpClientCache.Get(ConnectionSettings), RetryPolicy)
                        {
                            MaxBytes = MaxDownloadBytes,
                            Timeout = TimeSpan.FromSeconds(TimeoutSec),
                        };
                        var url = new Uri(image.Url!);
                        sink.WriteVerbose($"GET {ImageDownloader.DescribeUrl(url)}");
                        ReportBytes(0, null);
                        await downloader.DownloadAsync(url, file, ReportBytes, VerboseRetry(sink, "Download"), cancellationToken).ConfigureAwait(false);
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                ImageFormat? format = SniffFormat(temporary);
                if (format is null)
                {
                    throw new InvalidDataException($"What was received for image {image.Index} is not a PNG, JPEG, WebP, BMP, TIFF or GIF image; nothing was saved.");
                }

                if (image.ImageBytes is null) ImageStructure.EnsureComplete(temporary, $"The download of image {image.Index}");

                string final = System.IO.Path.Combine(_folder, baseName + format.Value.FileExtension());
                if (File.Exists(final) && !Force.IsPresent)
                {
                    sink.WriteError(ExistsError(final, image));
                    return;
                }

                string recorded = SavedProvenance.Apply(NoProvenance.IsPresent ? ProvenanceMode.None : Provenance, image, temporary, final, Force.IsPresent, sink.WriteWarning, cancellationToken);
                if (File.Exists(final))
                {
                    File.Replace(temporary, final, null);
                }
                else
                {
                    File.Move(temporary, final);
                }

                sink.WriteVerbose($"Saved image {image.Index} ({new FileInfo(final).Length:N0} bytes) to {final}, {recorded}.");
                if (PassThru.IsPresent)
                {
                    sink.WriteObject(new FileInfo(final));
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        private void ReportBytes(long done, long? total)
        {
            Interlocked.Exchange(ref _bytesDone, done);
            Interlocked.Exchange(ref _bytesTotal, total ?? -1);
        }

        protected override void OnProgressTick()
        {
            long done = Interlocked.Read(ref _bytesDone);
            long total = Interlocked.Read(ref _bytesTotal);
            string bytes = total >= 0 ? $"{done:N0} of {total:N0} bytes" : $"{done:N0} bytes";
            int files = Math.Max(_filesQueued, StartedItems);
            WriteProgress(new ProgressRecord(ProgressActivityId, "Seedream: saving images", $"{CompletedItems} of {files} file(s) saved; current download {bytes}")
            {
                PercentComplete = files == 0 ? 0 : Math.Min(100, CompletedItems * 100 / files),
            });
            _progressShown = true;
        }

        protected override void OnAllWorkDone()
        {
            if (_progressShown)
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, "Seedream: saving images", "Done") { RecordType = ProgressRecordType.Completed });
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
    }

    /// <summary>File names from a template. Every token is sanitized, so nothing from a prompt or URL can leave the folder.</summary>
    public static class FileNames
    {
        private const int MaxTokenLength = 40;

        public static string Expand(string template, SeedreamImage image)
        {
            var name = new StringBuilder(template);
            name.Replace("{created}", image.Created.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            name.Replace("{index}", image.Index.ToString(CultureInfo.InvariantCulture));
            name.Replace("{id}", ShortId(image));
            name.Replace("{model}", image.Model);
            name.Replace("{prompt}", Shorten(image.Prompt));
            name.Replace("{width}", image.Width.ToString(CultureInfo.InvariantCulture));
            name.Replace("{height}", image.Height.ToString(CultureInfo.InvariantCulture));
            string sanitized = Sanitize(name.ToString());
            return sanitized.Length == 0 ? "seedream" : sanitized;
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

        /// <summary>Six hex characters that tell apart images created in the same second.</summary>
        private static string ShortId(SeedreamImage image)
        {
            string source = image.RequestId ?? image.Url ?? image.Prompt + image.Created.ToUnixTimeMilliseconds();
            return Sha256Hash.Hex(Encoding.UTF8.GetBytes(source)).Substring(0, 6); // not SHA256.Create(): it throws under FIPS policy on Windows PowerShell
        }

        private static string Shorten(string text) => text.Length > MaxTokenLength ? text.Substring(0, MaxTokenLength) : text;
    }
}
