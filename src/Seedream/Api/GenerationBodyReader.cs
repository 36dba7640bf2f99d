using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// Reads the API's success JSON as it arrives, through <see cref="IncrementalJsonReader"/>: a non-streamed answer
    /// (model, created, data[], usage) or one stream event's data (type, model, created, image_index, the image fields,
    /// error, usage). Each <c>b64_json</c> string is decoded straight to bytes while it arrives: neither the body, an
    /// event nor an image's base64 text is ever held whole, only the decoded images. Gives the same result as a
    /// whole-document parse (the tests keep one as an oracle). Malformed JSON raises <see cref="JsonException"/>,
    /// invalid base64 or a non-object answer <see cref="FormatException"/>.
    /// </summary>
    public static class GenerationBodyReader
    {
        private const int InitialBufferSize = 16 * 1024;
        private static readonly byte[] DoneMarker = Encoding.ASCII.GetBytes("[DONE]");

        /// <summary>Reads the whole answer from <paramref name="stream"/> into <paramref name="result"/>.</summary>
        public static Task ReadAsync(Stream stream, GenerationResult result, CancellationToken cancellationToken) =>
            ReadAsync(stream, result, InitialBufferSize, cancellationToken);

        internal static async Task<IncrementalJsonReader> ReadAsync(Stream stream, GenerationResult result, int initialBufferSize, CancellationToken cancellationToken)
        {
            var json = new IncrementalJsonReader(stream, initialBufferSize);
            await ReadRootAsync(json, result, cancellationToken).ConfigureAwait(false);
            return json;
        }

        /// <summary>
        /// As <see cref="ReadAsync(Stream, GenerationResult, CancellationToken)"/>, holding no value but b64_json longer than
        /// <paramref name="maxValueBytes"/> (a longer one raises <see cref="AnswerTooLargeException"/>; unknown fields are skipped whatever their size).
        /// </summary>
        internal static Task ReadBoundedAsync(Stream stream, GenerationResult result, int maxValueBytes, CancellationToken cancellationToken) =>
            ReadRootAsync(new IncrementalJsonReader(stream, InitialBufferSize, maxValueBytes), result, cancellationToken);

        /// <summary>One stream event's data, read to its end; null for the stream's closing "[DONE]".</summary>
        internal static Task<GenerationEventData?> ReadEventAsync(Stream data, CancellationToken cancellationToken) =>
            ReadEventAsync(new IncrementalJsonReader(data, InitialBufferSize), cancellationToken);

        /// <summary>One stream event's data, holding no value but b64_json longer than <paramref name="maxValueBytes"/>.</summary>
        internal static Task<GenerationEventData?> ReadEventAsync(Stream data, int maxValueBytes, CancellationToken cancellationToken) =>
            ReadEventAsync(new IncrementalJsonReader(data, InitialBufferSize, maxValueBytes), cancellationToken);

        /// <param name="beforeImageBytes">Awaited when the event's b64_json value starts, before any of it is read or decoded.</param>
        internal static Task<GenerationEventData?> ReadEventAsync(Stream data, int maxValueBytes, Func<CancellationToken, Task>? beforeImageBytes,
            CancellationToken cancellationToken) =>
            ReadEventAsync(new IncrementalJsonReader(data, InitialBufferSize, maxValueBytes), cancellationToken, beforeImageBytes);

        internal static async Task<GenerationEventData?> ReadEventAsync(IncrementalJsonReader json, CancellationToken cancellationToken,
            Func<CancellationToken, Task>? beforeImageBytes = null)
        {
            if (await json.IsExactlyAsync(DoneMarker, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            await ExpectObjectAsync(json, "stream event's data", cancellationToken).ConfigureAwait(false);
            var data = new GenerationEventData();
            while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
            {
                switch (name)
                {
                    case "type":
                        data.Type = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "model":
                        data.Model = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "created":
                        data.Created = await CreatedValueAsync(json, cancellationToken).ConfigureAwait(false) ?? data.Created;
                        break;
                    case "image_index":
                        long? index = await json.IntegerValueAsync(cancellationToken).ConfigureAwait(false);
                        data.ImageIndex = index >= int.MinValue && index <= int.MaxValue ? (int?)index : null;
                        break;
                    case "usage":
                        data.Usage = await UsageValueAsync(json, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (name == "b64_json" && beforeImageBytes != null)
                        {
                            await beforeImageBytes(cancellationToken).ConfigureAwait(false);
                        }

                        if (!await ReadImageFieldAsync(json, name, data.Image, cancellationToken).ConfigureAwait(false))
                        {
                            await json.SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        }

                        break;
                }
            }

            await json.ExpectEndAsync(cancellationToken).ConfigureAwait(false);
            return data;
        }

        private static async Task ReadRootAsync(IncrementalJsonReader json, GenerationResult result, CancellationToken cancellationToken)
        {
            await ExpectObjectAsync(json, "answer", cancellationToken).ConfigureAwait(false);
            string? model = null;
            DateTimeOffset? created = null;
            List<GeneratedImage>? images = null;
            GenerationUsage? usage = null;
            ApiError? error = null;
            while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
            {
                switch (name)
                {
                    case "model":
                        model = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "error":
                        JsonTokenType errorToken = await json.NextAsync(cancellationToken).ConfigureAwait(false);
                        if (errorToken == JsonTokenType.StartObject)
                        {
                            error = await ReadErrorAsync(json, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await json.SkipRestOfValueAsync(errorToken, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case "created":
                        created = await CreatedValueAsync(json, cancellationToken).ConfigureAwait(false) ?? created;
                        break;
                    case "data":
                        JsonTokenType dataToken = await json.NextAsync(cancellationToken).ConfigureAwait(false);
                        if (dataToken == JsonTokenType.StartArray)
                        {
                            images = await ReadImagesAsync(json, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await json.SkipRestOfValueAsync(dataToken, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case "usage":
                        usage = await UsageValueAsync(json, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await json.SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            await json.ExpectEndAsync(cancellationToken).ConfigureAwait(false);

            result.Model = model ?? result.Model;
            if (created is DateTimeOffset stamp)
            {
                result.Created = stamp;
            }

            foreach (GeneratedImage image in images ?? new List<GeneratedImage>())
            {
                image.Model = result.Model;
                image.Created = result.Created;
                result.Images.Add(image);
            }

            if (usage != null)
            {
                result.Usage = usage;
            }

            result.Error = error ?? result.Error;
        }

        private static async Task ExpectObjectAsync(IncrementalJsonReader json, string what, CancellationToken cancellationToken)
        {
            if (await json.NextAsync(cancellationToken).ConfigureAwait(false) != JsonTokenType.StartObject)
            {
                throw new FormatException($"The {what} is not a JSON object.");
            }
        }

        private static async Task<List<GeneratedImage>> ReadImagesAsync(IncrementalJsonReader json, CancellationToken cancellationToken)
        {
            var images = new List<GeneratedImage>();
            while (true)
            {
                JsonTokenType token = await json.NextAsync(cancellationToken).ConfigureAwait(false);
                if (token == JsonTokenType.EndArray)
                {
                    return images;
                }

                var image = new GeneratedImage { Index = images.Count };
                if (token != JsonTokenType.StartObject)
                {
                    await json.SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
                    images.Add(SlotRules.NotAnObject(image.Index));
                    continue;
                }

                while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
                {
                    if (!await ReadImageFieldAsync(json, name, image, cancellationToken).ConfigureAwait(false))
                    {
                        await json.SkipValueAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                images.Add(SlotRules.Complete(image));
            }
        }

        /// <summary>
        /// Reads the value of <paramref name="name"/> into <paramref name="image"/> when it is one of a slot's fields
        /// (url, size, output_format, background, b64_json, error; the rules are <see cref="SlotRules"/>);
        /// false, with nothing read, for any other name.
        /// </summary>
        private static async Task<bool> ReadImageFieldAsync(IncrementalJsonReader json, string name, GeneratedImage image, CancellationToken cancellationToken)
        {
            switch (name)
            {
                case "url":
                    image.Url = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "size":
                    image.Size = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "output_format":
                    image.OutputFormat = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "background":
                    image.Background = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "b64_json":
                    image.Payload = await json.Base64ValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "z_index":
                    image.ZIndex = await json.IntegerValueAsync(cancellationToken).ConfigureAwait(false) is long z && z >= 0 && z <= int.MaxValue ? (int)z : (int?)null;
                    return true;
                case "name":
                    image.LayerName = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "description":
                    image.LayerDescription = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                case "bounding_box":
                    await ReadBoundingBoxAsync(json, image, cancellationToken).ConfigureAwait(false);
                    return true;
                case "error":
                    JsonTokenType errorToken = await json.NextAsync(cancellationToken).ConfigureAwait(false);
                    if (errorToken == JsonTokenType.StartObject)
                    {
                        image.Error = await ReadErrorAsync(json, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        image.Error = null;
                        await json.SkipRestOfValueAsync(errorToken, cancellationToken).ConfigureAwait(false);
                    }

                    return true;
                default:
                    return false;
            }
        }

        /// <summary>bounding_box: { "absolute": [l, t, r, b], "normalized": [l, t, r, b] }; anything else in it is skipped.</summary>
        private static async Task ReadBoundingBoxAsync(IncrementalJsonReader json, GeneratedImage image, CancellationToken cancellationToken)
        {
            JsonTokenType first = await json.NextAsync(cancellationToken).ConfigureAwait(false);
            if (first != JsonTokenType.StartObject)
            {
                await json.SkipRestOfValueAsync(first, cancellationToken).ConfigureAwait(false);
                return;
            }

            while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
            {
                switch (name)
                {
                    case "absolute":
                        image.BoundingBox = await FourIntegersAsync(json, cancellationToken).ConfigureAwait(false);
                        break;
                    case "normalized":
                        image.NormalizedBoundingBox = await FourIntegersAsync(json, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await json.SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }

        /// <summary>An array of exactly four integers that fit an int; null (the value read past) for anything else.</summary>
        private static async Task<int[]?> FourIntegersAsync(IncrementalJsonReader json, CancellationToken cancellationToken)
        {
            JsonTokenType first = await json.NextAsync(cancellationToken).ConfigureAwait(false);
            if (first != JsonTokenType.StartArray)
            {
                await json.SkipRestOfValueAsync(first, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var values = new List<int>(4);
            bool valid = true;
            while (true)
            {
                JsonTokenType token = await json.NextAsync(cancellationToken).ConfigureAwait(false);
                if (token == JsonTokenType.EndArray)
                {
                    break;
                }

                if (token == JsonTokenType.Number && json.Integer is long number && number >= int.MinValue && number <= int.MaxValue)
                {
                    values.Add((int)number);
                }
                else
                {
                    valid = false;
                    await json.SkipRestOfValueAsync(token, cancellationToken).ConfigureAwait(false);
                }
            }

            return valid && values.Count == 4 ? values.ToArray() : null;
        }

        /// <summary>An error object's fields, after its StartObject.</summary>
        private static async Task<ApiError> ReadErrorAsync(IncrementalJsonReader json, CancellationToken cancellationToken)
        {
            string? code = null, message = null, param = null, type = null;
            while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
            {
                switch (name)
                {
                    case "code":
                        code = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "message":
                        message = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "param":
                        param = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case "type":
                        type = await json.StringValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        await json.SkipValueAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            return SlotRules.Error(code, message, param, type);
        }

        /// <summary>A usage value: an object gives its counts (missing or non-integer ones are 0), anything else null.</summary>
        private static async Task<GenerationUsage?> UsageValueAsync(IncrementalJsonReader json, CancellationToken cancellationToken)
        {
            JsonTokenType first = await json.NextAsync(cancellationToken).ConfigureAwait(false);
            if (first != JsonTokenType.StartObject)
            {
                await json.SkipRestOfValueAsync(first, cancellationToken).ConfigureAwait(false);
                return null;
            }

            long images = 0, outputTokens = 0, totalTokens = 0;
            long? inputImages = null;
            while (await json.PropertyNameAsync(cancellationToken).ConfigureAwait(false) is string name)
            {
                long? read = await json.IntegerValueAsync(cancellationToken).ConfigureAwait(false);
                long value = read ?? 0;
                switch (name)
                {
                    case "input_images":
                        inputImages = read;
                        break;
                    case "generated_images":
                        images = value;
                        break;
                    case "output_tokens":
                        outputTokens = value;
                        break;
                    case "total_tokens":
                        totalTokens = value;
                        break;
                }
            }

            int? input = inputImages >= 0 && inputImages <= int.MaxValue ? (int?)inputImages : null;
            return new GenerationUsage((int)images, outputTokens, totalTokens, input);
        }

        /// <summary>A created value: Unix seconds when it is an integer, otherwise null.</summary>
        private static async Task<DateTimeOffset?> CreatedValueAsync(IncrementalJsonReader json, CancellationToken cancellationToken)
        {
            if (!(await json.IntegerValueAsync(cancellationToken).ConfigureAwait(false) is long seconds))
            {
                return null;
            }

            try
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new FormatException("The answer's created time is out of range.", ex);
            }
        }
    }

    /// <summary>The fields of one stream event's data, as read by <see cref="GenerationBodyReader.ReadEventAsync(Stream, CancellationToken)"/>.</summary>
    internal sealed class GenerationEventData
    {
        /// <summary>The data's own "type" (the event's name, when it has one, takes precedence).</summary>
        public string? Type { get; set; }

        public string? Model { get; set; }

        public DateTimeOffset? Created { get; set; }

        public int? ImageIndex { get; set; }

        /// <summary>url, size, b64_json and error, read as a data[] slot's are; its index and slot rules are applied by the caller.</summary>
        public GeneratedImage Image { get; } = new GeneratedImage();

        /// <summary>The error object, for an image event or an error event alike.</summary>
        public ApiError? Error => Image.Error;

        public GenerationUsage? Usage { get; set; }

        /// <summary>What the event is: its server-sent event name when it has one (the name takes precedence), else the data's own "type".</summary>
        public string? TypeUnder(string? eventName) => eventName ?? Type;

        /// <summary>The image of a partial event, in slot image_index, or when the event has none in the next slot
        /// (<paramref name="imagesSoFar"/>: the events before it), with the slot rules applied.</summary>
        public GeneratedImage ImageAt(int imagesSoFar)
        {
            GeneratedImage image = Image;
            image.Index = ImageIndex ?? imagesSoFar;
            SlotRules.Complete(image);
            return image;
        }
    }
}
