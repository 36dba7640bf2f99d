using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using Seedream.Api;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// What Get-SeedreamImageInfo and Export-SeedreamGallery share: turning -Path/-LiteralPath into image files (through
    /// <see cref="PathResolver"/>), and an image file into a <see cref="SeedreamImageInfo"/>.
    /// </summary>
    internal static class ImageInfoReader
    {
        /// <summary>
        /// The files a -Path (wildcards) or -LiteralPath value names; a folder stands for the files in it. Each comes with
        /// whether it was named as such (a file matched by a wildcard or found in a folder may be skipped quietly when it is
        /// not an image). Paths that name nothing are reported as non-terminating errors.
        /// </summary>
        public static IEnumerable<(string Path, bool Named)> Files(PSCmdlet cmdlet, string[] paths, bool literal)
        {
            foreach (string path in paths)
            {
                IReadOnlyList<string> resolved;
                bool wildcard = !literal && WildcardPattern.ContainsWildcardCharacters(path);
                try
                {
                    resolved = PathResolver.ResolveExisting(cmdlet, path, literal, literal ? "LiteralPath" : "Path");
                }
                catch (SeedreamValidationException ex)
                {
                    cmdlet.WriteError(new ErrorRecord(ex, "Seedream.PathNotFound", ErrorCategory.ObjectNotFound, path));
                    continue;
                }

                foreach (string item in resolved)
                {
                    if (Directory.Exists(item))
                    {
                        foreach (string file in Directory.EnumerateFiles(item).OrderBy(f => f, StringComparer.Ordinal))
                        {
                            yield return (file, false);
                        }
                    }
                    else
                    {
                        yield return (item, !wildcard);
                    }
                }
            }
        }

        /// <summary>True for files an image's record lives in (image.jpg.json beside image.jpg): never images themselves.</summary>
        public static bool IsSidecar(string path) =>
            path.EndsWith(ProvenanceFile.SidecarExtension, StringComparison.OrdinalIgnoreCase)
            && File.Exists(path.Substring(0, path.Length - ProvenanceFile.SidecarExtension.Length));

        public static bool IsImage(string path)
        {
            var head = new byte[16];
            int read;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16))
            {
                read = file.Read(head, 0, head.Length);
            }

            return ImageHeaderReader.DetectFormat(new ReadOnlySpan<byte>(head, 0, read)) != null;
        }

        /// <summary>The info of an image with a record; null when it has none.</summary>
        /// <param name="searchFolders">Where local reference files are looked for (by name, checked by SHA-256) besides the image's folder.</param>
        /// <param name="warn">Told when a reference cannot be found again.</param>
        public static SeedreamImageInfo? Read(string path, string psPath, IEnumerable<string> searchFolders, Action<string> warn)
        {
            ProvenanceRecord? record = ProvenanceFile.Read(path, out ProvenanceSource source);
            if (record is null)
            {
                return null;
            }

            var file = new FileInfo(path);
            SeedreamRequest request = record.Request;
            var info = new SeedreamImageInfo
            {
                Name = file.Name,
                FullName = file.FullName,
                PSPath = psPath,
                File = file,
                Source = source,
                Prompt = request.Prompt,
                Model = request.Model,
                ModelFamily = request.ModelFamily,
                Provider = request.Provider,
                IsSimulated = record.Simulated,
                Mode = request.Mode,
                Size = request.Size,
                MaxImages = request.MaxImages,
                OutputFormat = ParseEnum<SeedreamOutputFormat>(request.OutputFormat),
                ResponseFormat = request.ResponseFormat == ResponseFormats.Base64Json ? SeedreamResponseFormat.Base64Json : SeedreamResponseFormat.Url,
                Watermark = request.Watermark,
                Stream = request.Stream,
                OptimizePromptMode = ParseEnum<PromptOptimizationMode>(request.OptimizePromptMode),
                Thinking = ParseEnum<ThinkingMode>(request.Thinking),
                Background = ParseEnum<SeedreamBackground>(request.Background),
                LayerDecomposition = request.LayerDecomposition,
                AdditionalBody = ToHashtable(request.AdditionalBody),
                References = request.References,
                Index = record.Index,
                RequestId = record.RequestId,
                Created = record.Created,
                Width = record.Width,
                Height = record.Height,
                ZIndex = record.ZIndex,
                BoundingBox = record.BoundingBox,
                LayerName = record.LayerName,
                LayerDescription = record.LayerDescription,
                EstimatedCost = request.EstimatedCostPerImage,
                ModuleVersion = record.ModuleVersion,
                RecordVersion = record.RecordVersion,
                Request = request,
                Command = request.LayerDecomposition ? "Split-SeedreamImage" : request.References.Length > 0 ? "Edit-SeedreamImage" : "New-SeedreamImage",
            };

            string[] folders = new[] { file.DirectoryName ?? "." }.Concat(searchFolders).Distinct(StringComparer.Ordinal).ToArray();
            if (request.References.Length > 0)
            {
                var images = new List<object>();
                for (int i = 0; i < request.References.Length; i++)
                {
                    SeedreamReference reference = request.References[i];
                    string? found = reference.Kind == SeedreamReferenceKind.Url ? reference.Url : FindFile(reference, folders);
                    if (found is null)
                    {
                        warn($"'{file.Name}': reference {i + 1} ({reference}) is not at hand (a {reference.Kind} reference is found again only as a file of the same " +
                             "name and SHA-256 beside the image or in the current folder); Image is left empty so the request is not re-made with other references.");
                        images = null;
                        break;
                    }

                    images.Add(found);
                }

                info.Image = images?.ToArray();
            }

            info.Parameters = ParametersOf(info);
            return info;
        }

        /// <summary>The New/Edit/Split parameters that send the recorded body again (only those that were sent).</summary>
        private static Hashtable ParametersOf(SeedreamImageInfo info)
        {
            var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase)
            {
                ["Prompt"] = info.Prompt,
                ["Model"] = info.Model,
                ["ResponseFormat"] = info.ResponseFormat,
                ["Watermark"] = new SwitchParameter(info.Watermark),
            };
            void Add(string name, object? value)
            {
                if (value != null)
                {
                    parameters[name] = value;
                }
            }

            Add("Size", info.Size);
            Add("MaxImages", info.MaxImages);
            Add("OutputFormat", info.OutputFormat);
            Add("OptimizePromptMode", info.OptimizePromptMode);
            Add("Thinking", info.Thinking);
            Add("Background", info.Background);
            Add("AdditionalBody", info.AdditionalBody);
            Add("Image", info.Image);
            if (info.Stream)
            {
                parameters["Stream"] = new SwitchParameter(true);
            }

            return parameters;
        }

        private static string? FindFile(SeedreamReference reference, IEnumerable<string> folders)
        {
            if (reference.Kind != SeedreamReferenceKind.File || string.IsNullOrEmpty(reference.Name) || reference.Sha256 is null
                || reference.Name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                return null;
            }

            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, reference.Name);
                if (File.Exists(candidate) && new FileInfo(candidate).Length <= Catalog.ModelCatalog.MaxReferenceImageBytes)
                {
                    using FileStream stream = File.OpenRead(candidate);
                    if (Sha256Hash.Hex(stream) == reference.Sha256)
                    {
                        return candidate;
                    }
                }
            }

            return null;
        }

        private static T? ParseEnum<T>(string? value)
            where T : struct =>
            value != null && Enum.TryParse(value, true, out T parsed) ? parsed : (T?)null;

        /// <summary>-AdditionalBody's JSON back as the hashtable it was given as.</summary>
        private static Hashtable? ToHashtable(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(json!);
                return ToValue(document.RootElement) as Hashtable;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static object? ToValue(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase); // as a PowerShell @{} is
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        table[property.Name] = ToValue(property.Value);
                    }

                    return table;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(ToValue).ToArray();
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.TryGetInt64(out long whole) ? whole : (object)element.GetDecimal();
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                default:
                    return null;
            }
        }
    }
}
