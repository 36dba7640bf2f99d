using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Seedream.Api;
using Seedream.Imaging;

namespace Seedream.Checkpoint
{
    /// <summary>
    /// What a checkpoint knows a request by: the lower-case hex SHA-256 of a canonical form of its body. The model id
    /// as sent, the provider, the prompt and every option that changes what is generated or how it is delivered, in a
    /// fixed order; reference images by the SHA-256 of their bytes (files, inline results, data URIs) or by their URL.
    /// Left out: -Stream (how the answer travels, not what it is) and the reference's wire form (a data URI's bytes are
    /// hashed instead). Keys of -AdditionalBody are sorted, so the same values in another order give the same identity.
    /// </summary>
    public static class RequestIdentity
    {
        /// <summary>Bumped when the canonical form changes, so a journal's identities are never compared across forms.</summary>
        public const int Scheme = 1;

        public static string Of(GenerationRequest request, string provider, IEnumerable<SeedreamReference> references)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteNumber("scheme", Scheme);
                if (request.AdditionalBody != null)
                {
                    w.WritePropertyName("additional");
                    WriteCanonical(w, request.AdditionalBody);
                }

                WriteOptional(w, "background", request.Background);
                w.WriteBoolean("layerDecomposition", request.LayerDecomposition);
                if (request.MaxImages is int max)
                {
                    w.WriteNumber("maxImages", max);
                }

                w.WriteString("model", request.Model);
                WriteOptional(w, "optimizePromptMode", request.OptimizePromptMode);
                WriteOptional(w, "outputFormat", request.OutputFormat);
                w.WriteString("prompt", request.Prompt);
                w.WriteString("provider", provider);
                w.WriteStartArray("references");
                foreach (SeedreamReference reference in references)
                {
                    w.WriteStartObject();
                    if (reference.Sha256 != null)
                    {
                        w.WriteString("sha256", reference.Sha256);
                    }
                    else
                    {
                        w.WriteString("url", reference.Url ?? "");
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("responseFormat", request.ResponseFormat);
                w.WriteBoolean("sequence", request.SequenceField);
                WriteOptional(w, "size", request.Size);
                WriteOptional(w, "thinking", request.Thinking);
                w.WriteBoolean("watermark", request.Watermark);
                w.WriteEndObject();
            }

            return Sha256Hash.Hex(buffer.ToArray());
        }

        private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
        {
            if (value != null)
            {
                w.WriteString(name, value);
            }
        }

        /// <summary>Plain values (what the cmdlets unwrap -AdditionalBody into) with every dictionary's keys sorted ordinally.</summary>
        private static void WriteCanonical(Utf8JsonWriter w, object? value)
        {
            switch (value)
            {
                case null:
                    w.WriteNullValue();
                    break;
                case string text:
                    w.WriteStringValue(text);
                    break;
                case bool flag:
                    w.WriteBooleanValue(flag);
                    break;
                case IReadOnlyDictionary<string, object?> fields:
                    w.WriteStartObject();
                    foreach (KeyValuePair<string, object?> field in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(field.Key);
                        WriteCanonical(w, field.Value);
                    }

                    w.WriteEndObject();
                    break;
                case IDictionary dictionary:
                    w.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary.Cast<DictionaryEntry>().OrderBy(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture), StringComparer.Ordinal))
                    {
                        w.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        WriteCanonical(w, entry.Value);
                    }

                    w.WriteEndObject();
                    break;
                case IEnumerable items:
                    w.WriteStartArray();
                    foreach (object? item in items)
                    {
                        WriteCanonical(w, item);
                    }

                    w.WriteEndArray();
                    break;
                case IFormattable number when value is byte || value is short || value is int || value is long || value is float || value is double || value is decimal:
                    w.WriteRawValue(number.ToString(null, CultureInfo.InvariantCulture), skipInputValidation: true);
                    break;
                default:
                    w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }
}
