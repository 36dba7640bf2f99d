using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Seedream.Api
{
    /// <summary>Writes a <see cref="GenerationRequest"/> as the JSON body the API expects: every field at the top level, snake_case.</summary>
    public static class RequestBodyWriter
    {
        private const int DisplayedDataUriChars = 48;

        /// <summary>
        /// JSON as the API reads it, escaped only where JSON must be: a base64 '+' stays '+' (not \u002B) and a CJK
        /// prompt stays UTF-8 (not \uXXXX), so the body is no longer than it needs to be. The body is never put in HTML.
        /// </summary>
        private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

        /// <summary>The body to send: the JSON around the images now, each streamed image value written as it is sent.</summary>
        public static RequestBody Create(GenerationRequest request)
        {
            var images = new List<(int At, RequestImage Image)>();
            byte[] json = Write(request, forDisplay: false, images);
            return new RequestBody(json, images);
        }

        /// <summary>The whole body as bytes (tests; the client streams <see cref="Create"/>'s body instead).</summary>
        public static byte[] ToUtf8Json(GenerationRequest request) => Create(request).ToArray();

        /// <summary>The same body for -Debug: data URIs and other long strings shortened, so no payload floods the console.</summary>
        public static string ToDisplayJson(GenerationRequest request) =>
            System.Text.Encoding.UTF8.GetString(Write(request, forDisplay: true, streamed: null));

        /// <param name="streamed">Filled with where each streamed image value goes; null for display.</param>
        private static byte[] Write(GenerationRequest request, bool forDisplay, List<(int At, RequestImage Image)>? streamed)
        {
            var extra = request.AdditionalBody ?? new Dictionary<string, object?>();
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = forDisplay, Encoder = Encoder }))
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
                        foreach (RequestImage image in request.Images)
                        {
                            if (forDisplay)
                            {
                                json.WriteStringValue(image.Display);
                            }
                            else if (image.Inline is string text)
                            {
                                json.WriteStringValue(text);
                            }
                            else
                            {
                                // An empty string now; the value goes between its quotes as the body is written.
                                json.WriteStringValue("");
                                json.Flush();
                                streamed!.Add(((int)buffer.Length - 1, image));
                            }
                        }

                        json.WriteEndArray();
                    });
                }

                if (request.SequenceField)
                {
                    Field("sequential_image_generation", () => json.WriteStringValue(request.MaxImages.HasValue ? "auto" : "disabled"));
                }

                if (request.SequenceField && request.MaxImages is int maxImages)
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

                if (!string.IsNullOrEmpty(request.OptimizePromptMode) || !string.IsNullOrEmpty(request.Thinking))
                {
                    Field("optimize_prompt_options", () =>
                    {
                        json.WriteStartObject();
                        if (!string.IsNullOrEmpty(request.OptimizePromptMode))
                        {
                            json.WriteString("mode", request.OptimizePromptMode);
                        }

                        if (!string.IsNullOrEmpty(request.Thinking))
                        {
                            json.WriteString("thinking", request.Thinking);
                        }

                        json.WriteEndObject();
                    });
                }

                if (!string.IsNullOrEmpty(request.Background))
                {
                    Field("background", () => json.WriteStringValue(request.Background));
                }

                if (request.LayerDecomposition)
                {
                    Field("layer_decomposition", () => json.WriteBooleanValue(true));
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
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
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
