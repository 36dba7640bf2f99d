using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Seedream.Api;

namespace Seedream.Imaging
{
    /// <summary>
    /// How a saved image was made: the request (<see cref="SeedreamRequest"/>) plus the image's own place in the answer.
    /// Written into PNG and JPEG files as XMP (<see cref="ProvenanceXmp"/>) or beside them as JSON
    /// (<see cref="ProvenanceJson"/>); both use the field names of <see cref="Fields"/>, documented in about_Seedream.
    /// </summary>
    public sealed class ProvenanceRecord
    {
        /// <summary>The XMP namespace of the record's properties; the JSON sidecar names it as its Schema.</summary>
        public const string Namespace = "https://seedream-powershell.github.io/ns/provenance/1.0/";

        public const string Prefix = "seedream";

        /// <summary>Raised when the record's layout changes in a way older readers would misread.</summary>
        public const int CurrentVersion = 1;

        public int RecordVersion { get; set; } = CurrentVersion;

        /// <summary>The Seedream module version that wrote the record.</summary>
        public string? ModuleVersion { get; set; }

        public SeedreamRequest Request { get; set; } = new SeedreamRequest();

        /// <summary>Position of the image in its request's answer, from 0.</summary>
        public int Index { get; set; }

        public string? RequestId { get; set; }
        public DateTimeOffset Created { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }

        /// <summary>A layer's z_index in a layer decomposition (0 = the base image); null for other images.</summary>
        public int? ZIndex { get; set; }

        /// <summary>A layer's bounding box as absolute pixels "left,top,right,bottom" (right and bottom exclusive); null when none.</summary>
        public string? BoundingBox { get; set; }

        public string? LayerName { get; set; }
        public string? LayerDescription { get; set; }

        /// <summary>True for an image the module's simulator drew (never sent, never billed); written only then.</summary>
        public bool Simulated { get; set; }

        /// <summary>
        /// The record of a result. A result without its request (made by hand, or rebuilt from old data) records what it knows.
        /// A layer of a decomposition also records its place: ZIndex, BoundingBox, LayerName, LayerDescription.
        /// </summary>
        public static ProvenanceRecord From(SeedreamImage image, string? moduleVersion) => new ProvenanceRecord
        {
            ModuleVersion = moduleVersion,
            Request = image.Request ?? new SeedreamRequest { Model = image.Model, Prompt = image.Prompt, Mode = image.Mode },
            Index = image.Index,
            RequestId = image.RequestId,
            Created = image.Created,
            Width = image.Width,
            Height = image.Height,
            Simulated = image.IsSimulated,
            ZIndex = image.ZIndex,
            BoundingBox = image.BoundingBox?.ToString(),
            LayerName = image.LayerName,
            LayerDescription = image.LayerDescription,
        };

        /// <summary>The version of this assembly (the module's version, from Directory.Build.props), as major.minor.patch.</summary>
        public static string AssemblyVersion => typeof(ProvenanceRecord).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        /// <summary>
        /// Every simple field of the record, in the order written, with its text form (XMP) and JSON form. References are
        /// written apart (a list of structures). A new request field needs a line here.
        /// </summary>
        internal static IReadOnlyList<ProvenanceField> Fields { get; } = new[]
        {
            ProvenanceField.Int("RecordVersion", r => r.RecordVersion, (r, v) => r.RecordVersion = v ?? 0),
            ProvenanceField.Text("ModuleVersion", r => r.ModuleVersion, (r, v) => r.ModuleVersion = v),
            ProvenanceField.Text("Prompt", r => r.Request.Prompt, (r, v) => r.Request.Prompt = v ?? ""),
            ProvenanceField.Text("Model", r => r.Request.Model, (r, v) => r.Request.Model = v ?? ""),
            ProvenanceField.Text("ModelFamily", r => r.Request.ModelFamily, (r, v) => r.Request.ModelFamily = v),
            ProvenanceField.Text("Provider", r => r.Request.Provider, (r, v) => r.Request.Provider = v ?? ""),
            ProvenanceField.Bool("Simulated", r => r.Simulated ? true : (bool?)null, (r, v) => r.Simulated = v ?? false),
            ProvenanceField.Text("Mode", r => r.Request.Mode.ToString(), (r, v) => r.Request.Mode = Enum.TryParse(v, true, out GenerationMode mode) ? mode : default),
            ProvenanceField.Text("Size", r => r.Request.Size, (r, v) => r.Request.Size = v),
            ProvenanceField.Text("OutputFormat", r => r.Request.OutputFormat, (r, v) => r.Request.OutputFormat = v),
            ProvenanceField.Text("ResponseFormat", r => r.Request.ResponseFormat, (r, v) => r.Request.ResponseFormat = v ?? ResponseFormats.Url),
            ProvenanceField.Bool("Watermark", r => r.Request.Watermark, (r, v) => r.Request.Watermark = v ?? false),
            ProvenanceField.Int("MaxImages", r => r.Request.MaxImages, (r, v) => r.Request.MaxImages = v),
            ProvenanceField.Bool("Stream", r => r.Request.Stream, (r, v) => r.Request.Stream = v ?? false),
            ProvenanceField.Text("OptimizePromptMode", r => r.Request.OptimizePromptMode, (r, v) => r.Request.OptimizePromptMode = v),
            ProvenanceField.Text("Thinking", r => r.Request.Thinking, (r, v) => r.Request.Thinking = v),
            ProvenanceField.Text("Background", r => r.Request.Background, (r, v) => r.Request.Background = v),
            ProvenanceField.Bool("LayerDecomposition", r => r.Request.LayerDecomposition, (r, v) => r.Request.LayerDecomposition = v ?? false),
            ProvenanceField.Text("AdditionalBody", r => r.Request.AdditionalBody, (r, v) => r.Request.AdditionalBody = v),
            ProvenanceField.Decimal("EstimatedCost", r => r.Request.EstimatedCostPerImage, (r, v) => r.Request.EstimatedCostPerImage = v),
            ProvenanceField.Int("Index", r => r.Index, (r, v) => r.Index = v ?? 0),
            ProvenanceField.Text("RequestId", r => r.RequestId, (r, v) => r.RequestId = v),
            ProvenanceField.Text(
                "Created",
                r => r.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                (r, v) => r.Created = DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset created) ? created : default),
            ProvenanceField.Int("Width", r => r.Width, (r, v) => r.Width = v ?? 0),
            ProvenanceField.Int("Height", r => r.Height, (r, v) => r.Height = v ?? 0),
            ProvenanceField.Int("ZIndex", r => r.ZIndex, (r, v) => r.ZIndex = v),
            ProvenanceField.Text("BoundingBox", r => r.BoundingBox, (r, v) => r.BoundingBox = v),
            ProvenanceField.Text("LayerName", r => r.LayerName, (r, v) => r.LayerName = v),
            ProvenanceField.Text("LayerDescription", r => r.LayerDescription, (r, v) => r.LayerDescription = v),
        };

        /// <summary>The fields of one reference, by the same rules.</summary>
        internal static IReadOnlyList<ReferenceField> ReferenceFields { get; } = new[]
        {
            new ReferenceField("Kind", r => r.Kind.ToString(), (r, v) => r.Kind = Enum.TryParse(v, true, out SeedreamReferenceKind kind) ? kind : default),
            new ReferenceField("Url", r => r.Url, (r, v) => r.Url = v),
            new ReferenceField("Name", r => r.Name, (r, v) => r.Name = v),
            new ReferenceField("Sha256", r => r.Sha256, (r, v) => r.Sha256 = v),
            new ReferenceField("Format", r => r.Format, (r, v) => r.Format = v),
        };

        public override string ToString() => $"{Request.Model} image {Index} of request {RequestId}: '{Request.Prompt}'";
    }

    /// <summary>One simple field of a record: its text (XMP) and JSON forms, both ways.</summary>
    internal sealed class ProvenanceField
    {
        private readonly Func<ProvenanceRecord, string?> _format;
        private readonly Action<ProvenanceRecord, string?> _parse;
        private readonly Action<Utf8JsonWriter, string> _writeJson;
        private readonly Func<JsonElement, string?> _readJson;

        private ProvenanceField(string name, Func<ProvenanceRecord, string?> format, Action<ProvenanceRecord, string?> parse,
            Action<Utf8JsonWriter, string> writeJson, Func<JsonElement, string?> readJson)
        {
            Name = name;
            _format = format;
            _parse = parse;
            _writeJson = writeJson;
            _readJson = readJson;
        }

        public string Name { get; }

        /// <summary>The invariant text of the value; null when the field is absent (not sent).</summary>
        public string? Format(ProvenanceRecord record) => _format(record);

        public void Parse(ProvenanceRecord record, string? text) => _parse(record, text);

        public void WriteJson(Utf8JsonWriter json, ProvenanceRecord record)
        {
            string? text = Format(record);
            if (text != null)
            {
                json.WritePropertyName(Name);
                _writeJson(json, text);
            }
        }

        public void ReadJson(ProvenanceRecord record, JsonElement value) =>
            Parse(record, value.ValueKind == JsonValueKind.Null ? null : _readJson(value));

        public static ProvenanceField Text(string name, Func<ProvenanceRecord, string?> get, Action<ProvenanceRecord, string?> set) =>
            new ProvenanceField(name, get, set, (json, text) => json.WriteStringValue(text),
                value => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());

        public static ProvenanceField Int(string name, Func<ProvenanceRecord, int?> get, Action<ProvenanceRecord, int?> set) =>
            new ProvenanceField(
                name,
                r => get(r)?.ToString(CultureInfo.InvariantCulture),
                (r, text) => set(r, int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : (int?)null),
                (json, text) => json.WriteNumberValue(int.Parse(text, CultureInfo.InvariantCulture)),
                value => value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.ToString());

        public static ProvenanceField Bool(string name, Func<ProvenanceRecord, bool?> get, Action<ProvenanceRecord, bool?> set) =>
            new ProvenanceField(
                name,
                r => get(r) is bool flag ? (flag ? "True" : "False") : null,
                (r, text) => set(r, bool.TryParse(text, out bool flag) ? flag : (bool?)null),
                (json, text) => json.WriteBooleanValue(bool.Parse(text)),
                value => value.ValueKind == JsonValueKind.True ? "True" : value.ValueKind == JsonValueKind.False ? "False" : value.ToString());

        public static ProvenanceField Decimal(string name, Func<ProvenanceRecord, decimal?> get, Action<ProvenanceRecord, decimal?> set) =>
            new ProvenanceField(
                name,
                r => get(r)?.ToString(CultureInfo.InvariantCulture),
                (r, text) => set(r, decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal d) ? d : (decimal?)null),
                (json, text) => json.WriteNumberValue(decimal.Parse(text, CultureInfo.InvariantCulture)),
                value => value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.ToString());
    }

    /// <summary>One field of a reference (all are text).</summary>
    internal sealed class ReferenceField
    {
        public ReferenceField(string name, Func<SeedreamReference, string?> get, Action<SeedreamReference, string?> set)
        {
            Name = name;
            Get = get;
            Set = set;
        }

        public string Name { get; }
        public Func<SeedreamReference, string?> Get { get; }
        public Action<SeedreamReference, string?> Set { get; }
    }
}
