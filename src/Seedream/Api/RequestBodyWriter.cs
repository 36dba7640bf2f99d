using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Seedream.Api
{
    /// <summary>Writes a <see cref="GenerationRequest"/> as the JSON body the API expects: every field at the top level, snake_case.</summary>
    public static class RequestBodyWriter
    {
        private const int DisplayedDataUriChars = 48;

        public static byte[] ToUtf8Json(GenerationRequest request) => Write(request, forDisplay: false);

        /// <summary>The same body for -Debug: data URIs and other long strings shortened, so no payload floods the console.</summary>
        public static string ToDisplayJson(GenerationRequest request) =>
            System.Text.Encoding.UTF8.GetString(Write(request, forDisplay: true));

        private static byte[] Write(GenerationRequest request, bool forDisplay)
        {
            var extra = request.AdditionalBody ?? new Dictionary<string, object?>();
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = forDisplay }))
            {
                json.WriteStartObject();
                void Field(string name, Action write)
                {
                    if (!extra.ContainsKey(name))
                    {
                        json.WritePropertyName(name);
                        write();
                    }
                }

                Field("model", () => json.WriteStringValue(request.Model));
                Field("prompt", () => json.WriteStringValue(request.Prompt));
                if (request.Images.Count > 0)
                {
                    Field("image", () =>
                    {
                        json.WriteStartArray();
                        foreach (string image in request.Images)
                        {
                            json.WriteStringValue(forDisplay ? Shorten(image) : image);
                        }

                        json.WriteEndArray();
                    });
                }

                Field("sequential_image_generation", () => json.WriteStringValue(request.MaxImages.HasValue ? "auto" : "disabled"));
                if (request.MaxImages is int maxImages)
                {
                    Field("sequential_image_generation_options", () =>
                    {
                        json.WriteStartObject();
                        json.WriteNumber("max_images", maxImages);
                        json.WriteEndObject();
                    });
                }

                if (!string.IsNullOrEmpty(request.Size))
                {
                    Field("size", () => json.WriteStringValue(request.Size));
                }

                Field("response_format", () => json.WriteStringValue(request.ResponseFormat));
                if (!string.IsNullOrEmpty(request.OutputFormat))
                {
                    Field("output_format", () => json.WriteStringValue(request.OutputFormat));
                }

                Field("watermark", () => json.WriteBooleanValue(request.Watermark));
                if (request.Stream)
                {
                    Field("stream", () => json.WriteBooleanValue(true));
                }

                if (!string.IsNullOrEmpty(request.OptimizePromptMode))
                {
                    Field("optimize_prompt_options", () =>
                    {
                        json.WriteStartObject();
                        json.WriteString("mode", request.OptimizePromptMode);
                        json.WriteEndObject();
                    });
                }

                foreach (KeyValuePair<string, object?> pair in extra)
                {
                    json.WritePropertyName(pair.Key);
                    WriteValue(json, pair.Value, forDisplay);
                }

                json.WriteEndObject();
            }

            return buffer.ToArray();
        }

        /// <summary>Any plain .NET value (an -AdditionalBody table) as compact JSON, long strings shortened as for display.</summary>
        public static string ValueToDisplayJson(object? value)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                WriteValue(json, value, forDisplay: true);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>Writes plain .NET values (what a PowerShell hashtable holds once unwrapped) as JSON.</summary>
        private static void WriteValue(Utf8JsonWriter json, object? value, bool forDisplay)
        {
            switch (value)
            {
                case null:
                    json.WriteNullValue();
                    break;
                case string text:
                    json.WriteStringValue(forDisplay ? Shorten(text) : text);
                    break;
                case bool flag:
                    json.WriteBooleanValue(flag);
                    break;
                case byte or sbyte or short or ushort or int or uint or long:
                    json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong big:
                    json.WriteNumberValue(big);
                    break;
                case float or double or decimal:
                    json.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                    break;
                case IDictionary dictionary:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        WriteValue(json, entry.Value, forDisplay);
                    }

                    json.WriteEndObject();
                    break;
                case IEnumerable items:
                    json.WriteStartArray();
                    foreach (object? item in items)
                    {
                        WriteValue(json, item, forDisplay);
                    }

                    json.WriteEndArray();
                    break;
                default:
                    json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        /// <summary>Shortens a long value (a data URI, a base64 payload) to its start and its length.</summary>
        public static string Shorten(string value) =>
            value.Length <= DisplayedDataUriChars * 2
                ? value
                : $"{value.Substring(0, DisplayedDataUriChars)}...({value.Length:N0} chars)";
    }
}
