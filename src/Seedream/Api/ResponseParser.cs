using System;
using System.Text;
using System.Text.Json;

namespace Seedream.Api
{
    /// <summary>Reads the API's error bodies. Success bodies and stream events are read incrementally by
    /// <see cref="GenerationBodyReader"/>; both follow <see cref="SlotRules"/>.</summary>
    public static class ResponseParser
    {
        private static ApiError ReadError(JsonElement error) =>
            SlotRules.Error(GetString(error, "code"), GetString(error, "message"), GetString(error, "param"), GetString(error, "type"));

        /// <summary>
        /// Reads an error body. A JSON body with an error object gives that error; anything else (an HTML page
        /// from a proxy, plain text) gives a short readable line, never a dump.
        /// </summary>
        public static ApiError ReadErrorBody(byte[] body, string? mediaType, int statusCode, string reasonPhrase)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("error", out JsonElement error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        return ReadError(error);
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return new ApiError(HttpCode(statusCode), error.GetString() ?? "");
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: summarised below.
            }

            string kind = mediaType != null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0
                ? "an HTML page"
                : body.Length == 0 ? "an empty body" : $"a non-JSON body ({mediaType ?? "no content type"})";
            string title = mediaType != null && mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0
                ? HtmlTitle(body)
                : "";
            string message = $"HTTP {statusCode} {reasonPhrase} with {kind}" +
                             (title.Length > 0 ? $" titled '{title}'" : "") +
                             "; a proxy or gateway may have answered instead of the Seedream API.";
            return new ApiError(HttpCode(statusCode), message);
        }

        private static string HttpCode(int statusCode) => "Http" + statusCode;

        private static string HtmlTitle(byte[] body)
        {
            string text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 8192));
            int start = text.IndexOf("<title>", StringComparison.OrdinalIgnoreCase);
            int end = start < 0 ? -1 : text.IndexOf("</title>", start, StringComparison.OrdinalIgnoreCase);
            if (start < 0 || end < 0)
            {
                return "";
            }

            string title = text.Substring(start + 7, end - start - 7).Trim();
            return title.Length > 80 ? title.Substring(0, 80) + "..." : title;
        }

        private static string? GetString(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// What makes a data[] slot or an error object, shared by <see cref="ResponseParser"/> (whole JSON elements, stream
    /// events) and <see cref="GenerationBodyReader"/> (token by token); only the reading differs.
    /// </summary>
    internal static class SlotRules
    {
        /// <summary>A data[] entry that is not an object: the slot fails, the others stand.</summary>
        public static GeneratedImage NotAnObject(int index) =>
            new GeneratedImage { Index = index, Error = new ApiError("InvalidResponse", "A data[] slot was not a JSON object.") };

        /// <summary>A slot with neither an image (url, b64_json) nor an error fails as an invalid response.</summary>
        public static GeneratedImage Complete(GeneratedImage image)
        {
            if (image.Error is null && image.Url is null && image.Payload is null)
            {
                image.Error = new ApiError("InvalidResponse", "A data[] slot held neither url, b64_json nor error.");
            }

            return image;
        }

        /// <summary>An error object's string fields: a missing code is "Unknown", an empty param or type is absent.</summary>
        public static ApiError Error(string? code, string? message, string? param, string? type) =>
            new ApiError(code ?? "Unknown", message ?? "", NullIfEmpty(param), NullIfEmpty(type));

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
