using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Seedream.Checkpoint
{
    /// <summary>One image of an answered request, as the journal keeps it (never its bytes).</summary>
    public sealed class CheckpointImage
    {
        public int Index { get; set; }
        public string? Url { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public DateTimeOffset Created { get; set; }
        public string? Size { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
        public string? Model { get; set; }
        public string? OutputFormat { get; set; }
        public string? Background { get; set; }
        public decimal? Cost { get; set; }
        public string? RequestId { get; set; }

        /// <summary>A layer's place in its decomposition (Split-SeedreamImage), so a recalled layer is saved and shown as one.</summary>
        public int? ZIndex { get; set; }

        /// <summary>"left,top,right,bottom" in pixels, and the same on the 0..1000 scale.</summary>
        public string? BoundingBox { get; set; }

        public string? NormalizedBoundingBox { get; set; }
        public string? LayerName { get; set; }
        public string? LayerDescription { get; set; }
        public string? LayerSetId { get; set; }
        public int? LayerCount { get; set; }

        /// <summary>True when the hosted URL still works at <paramref name="now"/> (a minute's margin for the download to start).</summary>
        public bool UrlAlive(DateTimeOffset now) => Url != null && (ExpiresAt is null || ExpiresAt.Value > now.AddMinutes(1));
    }

    /// <summary>A request the server answered: its identity, when, its images and the slots that failed.</summary>
    public sealed class CheckpointRequest
    {
        public string Id { get; set; } = "";
        public DateTimeOffset At { get; set; }
        public string? Model { get; set; }
        public string? Prompt { get; set; }

        /// <summary>Images the answer's usage billed; null when it reported none (streamed answers count what arrived).</summary>
        public int? Billed { get; set; }

        public List<CheckpointImage> Images { get; } = new List<CheckpointImage>();

        /// <summary>Slots that failed (content filter, ...): index and error code.</summary>
        public List<KeyValuePair<int, string>> Failed { get; } = new List<KeyValuePair<int, string>>();
    }

    /// <summary>A file Save-SeedreamResult wrote for one image (key: request identity and index, see <see cref="CheckpointJournal.ImageKey"/>).</summary>
    public sealed class CheckpointFile
    {
        public string Key { get; set; } = "";

        /// <summary>The full path (the journal stores it relative to its own folder when the file is under it).</summary>
        public string File { get; set; } = "";

        public long Length { get; set; }
        public DateTimeOffset At { get; set; }
    }

    /// <summary>
    /// The checkpoint journal of -CheckpointPath: JSON lines, appended and flushed to disk one entry at a time, so a run
    /// killed at any moment leaves every finished entry readable and at most its last line cut short. Each line carries
    /// <c>v</c> (the line format, <see cref="FormatVersion"/>) and <c>module</c> (the version that wrote it). Reading keeps
    /// every line it understands: a damaged line (a write cut off) or one of a newer format is skipped with a warning, and
    /// the next append starts on a new line. Lines: <c>request</c> (an answered request: identity, images with URL and
    /// expiry, failed slots) and <c>saved</c> (a file written for one image). The latest entry for a key wins.
    /// Appends from every journal object of one process on the same file go through one lock, so a generation cmdlet and
    /// Save-SeedreamResult in the same pipeline can share a file. No PowerShell types.
    /// </summary>
    public sealed class CheckpointJournal
    {
        public const int FormatVersion = 1;
        private static readonly ConcurrentDictionary<string, object> Locks = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
        private readonly Dictionary<string, CheckpointRequest> _requests = new Dictionary<string, CheckpointRequest>(StringComparer.Ordinal);
        private readonly Dictionary<string, CheckpointFile> _files = new Dictionary<string, CheckpointFile>(StringComparer.Ordinal);
        private readonly List<string> _warnings = new List<string>();
        private readonly object _gate;
        private readonly string _folder;

        private CheckpointJournal(string path, string moduleVersion)
        {
            Path = System.IO.Path.GetFullPath(path);
            ModuleVersion = moduleVersion;
            _folder = System.IO.Path.GetDirectoryName(Path) ?? "";
            _gate = Locks.GetOrAdd(Path, _ => new object());
        }

        public string Path { get; }
        public string ModuleVersion { get; }

        /// <summary>What reading found worth saying: damaged lines, lines of another format, entries of other module versions.</summary>
        public IReadOnlyList<string> Warnings => _warnings;

        /// <summary>How many lines were read and kept.</summary>
        public int EntriesRead { get; private set; }

        /// <summary>Reads the journal at <paramref name="path"/> (none yet is an empty journal; the file is created on the first entry).</summary>
        public static CheckpointJournal Open(string path, string moduleVersion)
        {
            var journal = new CheckpointJournal(path, moduleVersion);
            journal.Read();
            return journal;
        }

        /// <summary>What a saved image is known by: its request identity and index, else its URL's or bytes' SHA-256.</summary>
        public static string ImageKey(string? requestHash, int index, string? url, Api.ImagePayload? bytes)
        {
            if (!string.IsNullOrEmpty(requestHash))
            {
                return requestHash + ":" + index.ToString(CultureInfo.InvariantCulture);
            }

            if (!string.IsNullOrEmpty(url))
            {
                return "url:" + Imaging.Sha256Hash.Hex(Encoding.UTF8.GetBytes(url));
            }

            if (bytes is null)
            {
                return "";
            }

            using Stream data = bytes.OpenRead();
            return "bytes:" + Imaging.Sha256Hash.Hex(data);
        }

        public CheckpointRequest? FindRequest(string id)
        {
            lock (_gate)
            {
                return _requests.TryGetValue(id, out CheckpointRequest? found) ? found : null;
            }
        }

        public CheckpointFile? FindFile(string key)
        {
            lock (_gate)
            {
                return _files.TryGetValue(key, out CheckpointFile? found) ? found : null;
            }
        }

        public void RecordRequest(CheckpointRequest request)
        {
            Append(w =>
            {
                w.WriteString("type", "request");
                w.WriteString("id", request.Id);
                w.WriteString("at", request.At.ToString("o", CultureInfo.InvariantCulture));
                WriteOptional(w, "model", request.Model);
                WriteOptional(w, "prompt", request.Prompt);
                if (request.Billed is int billed)
                {
                    w.WriteNumber("billed", billed);
                }

                w.WriteStartArray("images");
                foreach (CheckpointImage image in request.Images)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", image.Index);
                    WriteOptional(w, "url", image.Url);
                    if (image.ExpiresAt is DateTimeOffset expires)
                    {
                        w.WriteString("expiresAt", expires.ToString("o", CultureInfo.InvariantCulture));
                    }

                    w.WriteString("created", image.Created.ToString("o", CultureInfo.InvariantCulture));
                    WriteOptional(w, "size", image.Size);
                    w.WriteNumber("width", image.Width);
                    w.WriteNumber("height", image.Height);
                    WriteOptional(w, "model", image.Model);
                    WriteOptional(w, "outputFormat", image.OutputFormat);
                    WriteOptional(w, "background", image.Background);
                    if (image.Cost is decimal cost)
                    {
                        w.WriteNumber("cost", cost);
                    }

                    WriteOptional(w, "requestId", image.RequestId);
                    if (image.ZIndex is int z)
                    {
                        w.WriteNumber("zIndex", z);
                        WriteOptional(w, "boundingBox", image.BoundingBox);
                        WriteOptional(w, "normalizedBoundingBox", image.NormalizedBoundingBox);
                        WriteOptional(w, "layerName", image.LayerName);
                        WriteOptional(w, "layerDescription", image.LayerDescription);
                        WriteOptional(w, "layerSetId", image.LayerSetId);
                        if (image.LayerCount is int count)
                        {
                            w.WriteNumber("layerCount", count);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("failed");
                foreach (KeyValuePair<int, string> failed in request.Failed)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", failed.Key);
                    w.WriteString("code", failed.Value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            lock (_gate)
            {
                _requests[request.Id] = request;
            }
        }

        public void RecordFile(CheckpointFile file)
        {
            Append(w =>
            {
                w.WriteString("type", "saved");
                w.WriteString("key", file.Key);
                w.WriteString("file", Relative(file.File));
                w.WriteNumber("bytes", file.Length);
                w.WriteString("at", file.At.ToString("o", CultureInfo.InvariantCulture));
            });
            lock (_gate)
            {
                _files[file.Key] = file;
            }
        }

        private void Append(Action<Utf8JsonWriter> body)
        {
            byte[] line;
            using (var buffer = new MemoryStream())
            {
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteNumber("v", FormatVersion);
                    w.WriteString("module", ModuleVersion);
                    body(w);
                    w.WriteEndObject();
                }

                buffer.WriteByte((byte)'\n');
                line = buffer.ToArray();
            }

            lock (_gate)
            {
                if (_folder.Length > 0)
                {
                    Directory.CreateDirectory(_folder);
                }

                using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 4096, FileOptions.WriteThrough);
                long length = file.Length;
                if (length > 0)
                {
                    // A line cut short by a kill has no newline: start this entry on a line of its own.
                    file.Seek(-1, SeekOrigin.End);
                    if (file.ReadByte() != '\n')
                    {
                        file.WriteByte((byte)'\n');
                    }
                }

                file.Seek(0, SeekOrigin.End);

                // One write of the whole line: a kill leaves it whole or cut short, never mixed with another entry.
                file.Write(line, 0, line.Length);
                file.Flush(flushToDisk: true);
            }
        }

        private void Read()
        {
            if (!File.Exists(Path))
            {
                return;
            }

            string[] lines;
            using (var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(file, new UTF8Encoding(false)))
            {
                lines = reader.ReadToEnd().Split('\n');
            }

            int last = lines.Length - 1;
            while (last >= 0 && lines[last].Trim().Length == 0)
            {
                last--;
            }

            int newer = 0;
            var otherModules = new SortedSet<string>(StringComparer.Ordinal);
            for (int i = 0; i <= last; i++)
            {
                string text = lines[i].Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                try
                {
                    using JsonDocument document = JsonDocument.Parse(text);
                    JsonElement entry = document.RootElement;
                    int version = entry.TryGetProperty("v", out JsonElement v) && v.TryGetInt32(out int n) ? n : 0;
                    if (version != FormatVersion)
                    {
                        newer++;
                        continue;
                    }

                    if (entry.TryGetProperty("module", out JsonElement module) && module.GetString() is string written && written != ModuleVersion)
                    {
                        otherModules.Add(written);
                    }

                    switch (Text(entry, "type"))
                    {
                        case "request":
                            CheckpointRequest request = ReadRequest(entry);
                            _requests[request.Id] = request;
                            break;
                        case "saved":
                            CheckpointFile saved = ReadFile(entry);
                            _files[saved.Key] = saved;
                            break;
                        default:
                            newer++;
                            continue;
                    }

                    EntriesRead++;
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException || ex is KeyNotFoundException)
                {
                    _warnings.Add(i == last
                        ? $"The last line of the checkpoint '{System.IO.Path.GetFileName(Path)}' is damaged (a write cut off when the run was stopped); it is skipped and the {last} line(s) before it are kept."
                        : $"Line {i + 1} of the checkpoint '{System.IO.Path.GetFileName(Path)}' is damaged; it is skipped and the other lines are kept.");
                }
            }

            if (newer > 0)
            {
                _warnings.Add($"{newer} line(s) of the checkpoint '{System.IO.Path.GetFileName(Path)}' are in a format this module version ({ModuleVersion}) does not read (line format other than {FormatVersion}); they are skipped, the other lines are kept.");
            }

            if (otherModules.Count > 0)
            {
                _warnings.Add($"The checkpoint '{System.IO.Path.GetFileName(Path)}' holds entries written by module version {string.Join(", ", otherModules)}; they are read as they are (this is {ModuleVersion}).");
            }
        }

        private static CheckpointRequest ReadRequest(JsonElement entry)
        {
            var request = new CheckpointRequest
            {
                Id = Required(entry, "id"),
                At = Date(entry, "at") ?? DateTimeOffset.MinValue,
                Model = Text(entry, "model"),
                Prompt = Text(entry, "prompt"),
                Billed = entry.TryGetProperty("billed", out JsonElement billed) && billed.ValueKind == JsonValueKind.Number ? billed.GetInt32() : (int?)null,
            };
            if (entry.TryGetProperty("images", out JsonElement images) && images.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement image in images.EnumerateArray())
                {
                    request.Images.Add(new CheckpointImage
                    {
                        Index = image.GetProperty("index").GetInt32(),
                        Url = Text(image, "url"),
                        ExpiresAt = Date(image, "expiresAt"),
                        Created = Date(image, "created") ?? request.At,
                        Size = Text(image, "size"),
                        Width = Int(image, "width"),
                        Height = Int(image, "height"),
                        Model = Text(image, "model"),
                        OutputFormat = Text(image, "outputFormat"),
                        Background = Text(image, "background"),
                        Cost = image.TryGetProperty("cost", out JsonElement cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : (decimal?)null,
                        RequestId = Text(image, "requestId"),
                        ZIndex = OptionalInt(image, "zIndex"),
                        BoundingBox = Text(image, "boundingBox"),
                        NormalizedBoundingBox = Text(image, "normalizedBoundingBox"),
                        LayerName = Text(image, "layerName"),
                        LayerDescription = Text(image, "layerDescription"),
                        LayerSetId = Text(image, "layerSetId"),
                        LayerCount = OptionalInt(image, "layerCount"),
                    });
                }
            }

            if (entry.TryGetProperty("failed", out JsonElement failed) && failed.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement slot in failed.EnumerateArray())
                {
                    request.Failed.Add(new KeyValuePair<int, string>(slot.GetProperty("index").GetInt32(), Text(slot, "code") ?? ""));
                }
            }

            return request;
        }

        private CheckpointFile ReadFile(JsonElement entry)
        {
            string file = Required(entry, "file");
            return new CheckpointFile
            {
                Key = Required(entry, "key"),
                File = System.IO.Path.IsPathRooted(file) ? file : System.IO.Path.GetFullPath(System.IO.Path.Combine(_folder, file.Replace('/', System.IO.Path.DirectorySeparatorChar))),
                Length = entry.TryGetProperty("bytes", out JsonElement bytes) && bytes.ValueKind == JsonValueKind.Number ? bytes.GetInt64() : 0,
                At = Date(entry, "at") ?? DateTimeOffset.MinValue,
            };
        }

        /// <summary>A file under the journal's folder is recorded relative to it ('/' separators), so no machine path is kept and the folder can move.</summary>
        private string Relative(string file)
        {
            string full = System.IO.Path.GetFullPath(file);
            string folder = _folder.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? _folder : _folder + System.IO.Path.DirectorySeparatorChar;
            return full.StartsWith(folder, StringComparison.Ordinal)
                ? full.Substring(folder.Length).Replace(System.IO.Path.DirectorySeparatorChar, '/')
                : full;
        }

        private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
        {
            if (value != null)
            {
                w.WriteString(name, value);
            }
        }

        private static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string Required(JsonElement e, string name) =>
            Text(e, name) is string text && text.Length > 0 ? text : throw new FormatException($"the entry has no {name}.");

        private static int Int(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

        private static int? OptionalInt(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : (int?)null;

        private static DateTimeOffset? Date(JsonElement e, string name) =>
            Text(e, name) is string text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : (DateTimeOffset?)null;
    }
}
