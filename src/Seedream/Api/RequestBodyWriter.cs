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
                    WriteValue(json, pair.Value, forDisplay, pair.Key);
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
                WriteValue(json, value, forDisplay: true, path: "AdditionalBody");
            }

            return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>
        /// Writes plain .NET values (what a PowerShell hashtable holds once unwrapped) as JSON. Leaf values are written by
        /// System.Text.Json as the invariant JSON forms: numbers as they are (a double in its shortest round-trip form,
        /// never through decimal), dates and times as ISO 8601, Guids as strings. A number JSON cannot carry (NaN,
        /// Infinity) is a <see cref="SeedreamValidationException"/> for -AdditionalBody, raised before anything is sent
        /// (for display it is written as a string).
        /// </summary>
        /// <param name="path">Where the value sits (a.b[2]), for the message.</param>
        private static void WriteValue(Utf8JsonWriter json, object? value, bool forDisplay, string path)
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
                case float single:
                    if (IsFinite(single, path, forDisplay, json))
                    {
                        json.WriteNumberValue(single);
                    }

                    break;
                case double number:
                    if (IsFinite(number, path, forDisplay, json))
                    {
                        json.WriteNumberValue(number);
                    }

                    break;
                case decimal exact:
                    json.WriteNumberValue(exact);
                    break;
                case DateTime time:
                    json.WriteStringValue(time);
                    break;
                case DateTimeOffset moment:
                    json.WriteStringValue(moment);
                    break;
                case Guid id:
                    json.WriteStringValue(id);
                    break;
                case TimeSpan span:
                    json.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                    break;
                case char single:
                    json.WriteStringValue(single.ToString());
                    break;
                case Enum named:
                    json.WriteStringValue(named.ToString());
                    break;
                case IDictionary dictionary:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                        json.WritePropertyName(key);
                        WriteValue(json, entry.Value, forDisplay, path + "." + key);
                    }

                    json.WriteEndObject();
                    break;
                case IEnumerable items:
                    json.WriteStartArray();
                    int index = 0;
                    foreach (object? item in items)
                    {
                        WriteValue(json, item, forDisplay, $"{path}[{index++}]");
                    }

                    json.WriteEndArray();
                    break;
                default:
                    json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        /// <summary>
        /// True for a number JSON can carry. NaN and Infinity stop the request body with a validation error; in a body
        /// for display (the -Debug trace, the request record) they are written as the strings they are instead.
        /// </summary>
        private static bool IsFinite(double number, string path, bool forDisplay, Utf8JsonWriter json)
        {
            if (!double.IsNaN(number) && !double.IsInfinity(number))
            {
                return true;
            }

            string what = double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity";
            if (forDisplay)
            {
                json.WriteStringValue(what);
                return false;
            }

            throw new SeedreamValidationException("AdditionalBody",
                $"Parameter -AdditionalBody: '{path}' is {what}, which JSON cannot carry; give a finite number. Nothing was sent.");
        }

        /// <summary>Shortens a long value (a data URI, a base64 payload) to its start and its length.</summary>
        public static string Shorten(string value) =>
            value.Length <= DisplayedDataUriChars * 2
                ? value
                : $"{value.Substring(0, DisplayedDataUriChars)}...({value.Length:N0} chars)";
    }
}
