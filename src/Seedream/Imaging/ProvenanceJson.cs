using System;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Seedream.Imaging
{
    /// <summary>
    /// A <see cref="ProvenanceRecord"/> as the JSON of a sidecar file (<c>image.jpg.json</c>): an object with "Schema"
    /// (the record's namespace), the same field names as the XMP form, and "References" as an array of objects.
    /// </summary>
    public static class ProvenanceJson
    {
        private const string SchemaProperty = "Schema";
        private const string ReferencesProperty = "References";

        /// <summary>The largest sidecar read; a record is a few kilobytes.</summary>
        public const int MaxSidecarBytes = 1024 * 1024;

        public static byte[] Write(ProvenanceRecord record)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString(SchemaProperty, ProvenanceRecord.Namespace);
                foreach (ProvenanceField field in ProvenanceRecord.Fields)
                {
                    field.WriteJson(json, record);
                }

                json.WriteStartArray(ReferencesProperty);
                foreach (SeedreamReference reference in record.Request.References)
                {
                    json.WriteStartObject();
                    foreach (ReferenceField field in ProvenanceRecord.ReferenceFields)
                    {
                        if (field.Get(reference) is string value)
                        {
                            json.WriteString(field.Name, value);
                        }
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            return buffer.ToArray();
        }

        /// <summary>The record in a sidecar's bytes; null when it is not JSON or names another schema.</summary>
        public static ProvenanceRecord? TryRead(byte[] bytes)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
                return null;
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty(SchemaProperty, out JsonElement schema)
                    || schema.ValueKind != JsonValueKind.String
                    || schema.GetString() != ProvenanceRecord.Namespace)
                {
                    return null;
                }

                var record = new ProvenanceRecord { RecordVersion = 0 };
                foreach (ProvenanceField field in ProvenanceRecord.Fields)
                {
                    if (root.TryGetProperty(field.Name, out JsonElement value))
                    {
                        field.ReadJson(record, value);
                    }
                }

                if (root.TryGetProperty(ReferencesProperty, out JsonElement references) && references.ValueKind == JsonValueKind.Array)
                {
                    record.Request.References = references.EnumerateArray()
                        .Where(item => item.ValueKind == JsonValueKind.Object)
                        .Select(item =>
                        {
                            var reference = new SeedreamReference();
                            foreach (ReferenceField field in ProvenanceRecord.ReferenceFields)
                            {
                                field.Set(reference, item.TryGetProperty(field.Name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
                            }

                            return reference;
                        })
                        .ToArray();
                }

                return record;
            }
        }
    }
}
