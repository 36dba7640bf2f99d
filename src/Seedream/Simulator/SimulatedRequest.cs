using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;

namespace Seedream.Simulator
{
    /// <summary>A refusal as the API words it: HTTP status, code, message and the field it is about.</summary>
    internal sealed class SimulatedError
    {
        public SimulatedError(int status, string code, string message, string param = "")
        {
            Status = status;
            Code = code;
            Message = message;
            Param = param;
        }

        public int Status { get; }
        public string Code { get; }
        public string Message { get; }
        public string Param { get; }

        /// <summary>The error type the Ark API names for the status.</summary>
        public string Type => Status switch
        {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            429 => "TooManyRequests",
            _ => Status >= 500 ? "InternalServerError" : "BadRequest",
        };
    }

    /// <summary>One slot of a simulated answer: an image (with its layer facts, for a decomposition) or a refusal.</summary>
    internal sealed class SimulatedOutput
    {
        public SimulatedOutput(SimulatedImage image) => Image = image;

        public SimulatedImage Image { get; }
        public SimulatedError? Error { get; set; }
        public int? ZIndex { get; set; }

        /// <summary>left, top, right, bottom in the base image's pixels (right and bottom exclusive).</summary>
        public int[]? Box { get; set; }

        public int[]? NormalizedBox { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public bool Succeeded => Error is null;
    }

    /// <summary>
    /// A generation body read and judged as the real API would: the model by the ids the simulator takes (those of every
    /// provider), fields the model does not accept refused (400 InvalidParameter naming the field), and every rule of
    /// <see cref="RequestRules"/> from the module's catalog. What it asks for becomes the list of <see cref="Outputs"/>.
    /// </summary>
    internal sealed class SimulatedRequest
    {
        private static readonly Regex CountInPrompt = new Regex(@"\b(\d{1,2})\s+(?:images|pictures|panels|frames|scenes|shots|variations)\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private SimulatedRequest(string modelId, SeedreamModel model)
        {
            ModelId = modelId;
            Model = model;
        }

        /// <summary>The model id as the body named it; answers repeat it.</summary>
        public string ModelId { get; }

        public SeedreamModel Model { get; }
        public bool Stream { get; private set; }
        public bool Base64 { get; private set; }
        public string? Background { get; private set; }
        public int References { get; private set; }
        public List<SimulatedOutput> Outputs { get; } = new List<SimulatedOutput>();

        /// <summary>
        /// Whether answers carry the fields the newer models add (output_format, background, usage.input_images): those
        /// models are the ones with a background or layer setting in the catalog.
        /// </summary>
        public bool NewFields => Model.Background != null || Model.LayerDecomposition != null;

        public static (SimulatedRequest? Request, SimulatedError? Error) Read(byte[] body, SeedreamCatalog catalog, SeedreamProvider provider)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return (null, Invalid("The request body is not valid JSON.", ""));
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return (null, Invalid("The request body must be a JSON object.", ""));
                }

                return Judge(root, catalog, provider);
            }
        }

        private static (SimulatedRequest?, SimulatedError?) Judge(JsonElement root, SeedreamCatalog catalog, SeedreamProvider provider)
        {
            if (!(Text(root, "model") is string modelId) || modelId.Length == 0)
            {
                return (null, new SimulatedError(400, "MissingParameter", "The request is missing the required parameter model.", "model"));
            }

            SeedreamModel? model = catalog.Models.FirstOrDefault(m => m.OfferOn(provider)?.Spelling(modelId) != null);
            if (model is null || model.OfferOn(provider)!.Status.State == ModelState.Retired)
            {
                return (null, new SimulatedError(404, "InvalidEndpointOrModel.NotFound",
                    $"The model or endpoint {modelId} does not exist or you do not have access to it.", "model"));
            }

            var request = new SimulatedRequest(modelId, model);
            string prompt = Text(root, "prompt") ?? "";
            bool layers = Flag(root, "layer_decomposition");

            // Fields the model does not take are refused whatever their value, as the new models refuse them.
            if (root.TryGetProperty("sequential_image_generation", out _) && !model.SupportsSequence)
            {
                return (null, NotAccepted(model, "sequential_image_generation"));
            }

            if (root.TryGetProperty("stream", out _) && !model.SupportsStreaming)
            {
                return (null, NotAccepted(model, "stream"));
            }

            if (root.TryGetProperty("background", out _) && model.Background is null)
            {
                return (null, NotAccepted(model, "background"));
            }

            if (root.TryGetProperty("layer_decomposition", out _) && model.LayerDecomposition is null)
            {
                return (null, NotAccepted(model, "layer_decomposition"));
            }

            string? mode = null, thinking = null;
            if (root.TryGetProperty("optimize_prompt_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object)
            {
                mode = Text(options, "mode");
                thinking = Text(options, "thinking");
                if (thinking != null && model.Thinking is null)
                {
                    return (null, NotAccepted(model, "optimize_prompt_options.thinking"));
                }
            }

            string responseFormat = Text(root, "response_format") ?? ResponseFormats.Url;
            if (responseFormat != ResponseFormats.Url && responseFormat != ResponseFormats.Base64Json)
            {
                return (null, Invalid($"The parameter response_format '{responseFormat}' is not valid; use url or b64_json.", "response_format"));
            }

            request.Base64 = responseFormat == ResponseFormats.Base64Json;
            request.Stream = Flag(root, "stream");
            request.Background = Text(root, "background");
            string? outputFormat = Text(root, "output_format");

            // reference images
            var references = new List<string>();
            if (root.TryGetProperty("image", out JsonElement image))
            {
                if (image.ValueKind == JsonValueKind.String)
                {
                    references.Add(image.GetString()!);
                }
                else if (image.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement item in image.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            return (null, Invalid("Each entry of image must be a URL or a data URI string.", "image"));
                        }

                        references.Add(item.GetString()!);
                    }
                }
                else
                {
                    return (null, Invalid("The parameter image must be a string or an array of strings.", "image"));
                }
            }

            var facts = new List<ReferenceFacts>();
            for (int i = 0; i < references.Count; i++)
            {
                (ReferenceFacts? fact, SimulatedError? problem) = FactsOf(references[i], i);
                if (problem != null)
                {
                    return (null, problem);
                }

                facts.Add(fact!);
            }

            request.References = references.Count;
            int? maxImages = null;
            bool sequence = Text(root, "sequential_image_generation") == "auto";
            if (sequence && root.TryGetProperty("sequential_image_generation_options", out JsonElement sequenceOptions) &&
                sequenceOptions.ValueKind == JsonValueKind.Object && sequenceOptions.TryGetProperty("max_images", out JsonElement max))
            {
                if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out int count))
                {
                    return (null, Invalid("The parameter max_images must be an integer.", "sequential_image_generation_options.max_images"));
                }

                maxImages = count;
            }

            string? size = Text(root, "size");
            IReadOnlyList<RuleViolation> violations = RequestRules.Check(new RequestShape
            {
                Prompt = prompt,
                Model = model,
                ModelId = modelId,
                Provider = provider,
                Catalog = catalog,
                Size = size,
                MaxImages = maxImages,
                OutputFormat = outputFormat,
                References = facts,
                Stream = request.Stream,
                OptimizePromptMode = mode,
                Thinking = thinking,
                Background = request.Background,
                LayerDecomposition = layers,
            });
            if (violations.Count > 0)
            {
                RuleViolation first = violations[0];
                string code = first.Field == RequestField.Prompt ? "MissingParameter" : "InvalidParameter";
                return (null, new SimulatedError(400, code, "The request is refused: " + first.Message, WireName(first.Field)));
            }

            // What the images are drawn from: the same request draws the same images.
            var decided = new StringBuilder();
            decided.Append(model.Family).Append('\n').Append(prompt).Append('\n').Append(size ?? "").Append('\n').Append(outputFormat ?? "").Append('\n')
                   .Append(request.Background ?? "").Append('\n').Append(layers ? "layers" : "").Append('\n');
            foreach (string reference in references)
            {
                decided.Append(Sha256Hash.Hex(Encoding.UTF8.GetBytes(reference))).Append('\n');
            }

            string seedText = decided.ToString();
            bool png = (outputFormat ?? model.DefaultOutputFormat) == "png";
            bool watermark = Flag(root, "watermark");
            (int width, int height) = SizeOf(size, model, facts);
            if (layers)
            {
                AddLayers(request, seedText, width, height, png, watermark, MaxLayers(root) ?? model.LayerDecomposition!.MaxLayers);
                return (request, null);
            }

            int images = 1;
            if (sequence && maxImages is int asked)
            {
                images = Math.Max(1, Math.Min(asked, catalog.Limits.MaxReferencesPlusOutputs - references.Count));
                Match stated = CountInPrompt.Match(prompt);
                if (stated.Success && int.TryParse(stated.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int wanted) && wanted >= 1 && wanted < images)
                {
                    images = wanted; // the model may return fewer than max_images: as many as the prompt asks for
                }
            }

            SimulatedAlpha alpha = request.Background == "transparent" ? SimulatedAlpha.Background : SimulatedAlpha.None;
            for (int i = 0; i < images; i++)
            {
                request.Outputs.Add(new SimulatedOutput(new SimulatedImage(SimulatedImage.SeedOf(seedText, i), i, width, height, png, alpha, watermark)));
            }

            return (request, null);
        }

        /// <summary>The base image (z_index 0) and its layers: PNG boxes placed from the seed, at most the cap asked for.</summary>
        private static void AddLayers(SimulatedRequest request, string seedText, int width, int height, bool png, bool watermark, int cap)
        {
            string baseSeed = SimulatedImage.SeedOf(seedText, 0);
            request.Outputs.Add(new SimulatedOutput(new SimulatedImage(baseSeed, 0, width, height, png, SimulatedAlpha.None, watermark))
            {
                ZIndex = 0,
                Name = "base",
                Description = "the whole image (simulated)",
            });

            int count = Math.Max(1, Math.Min(cap, 2 + Convert.ToInt32(baseSeed.Substring(0, 2), 16) % 3));
            for (int k = 1; k <= count; k++)
            {
                string seed = SimulatedImage.SeedOf(seedText, k);
                int a = Convert.ToInt32(seed.Substring(0, 4), 16), b = Convert.ToInt32(seed.Substring(4, 4), 16);
                int boxWidth = Math.Max(16, width * (25 + a % 26) / 100), boxHeight = Math.Max(16, height * (25 + b % 26) / 100);
                int left = (width - boxWidth) * (a >> 8) / 255, top = (height - boxHeight) * (b >> 8) / 255;
                request.Outputs.Add(new SimulatedOutput(new SimulatedImage(seed, k, boxWidth, boxHeight, true, SimulatedAlpha.Layer, false))
                {
                    ZIndex = k,
                    Box = new[] { left, top, left + boxWidth, top + boxHeight },
                    NormalizedBox = new[] { left * 1000 / width, top * 1000 / height, (left + boxWidth) * 1000 / width, (top + boxHeight) * 1000 / height },
                    Name = $"layer {k}",
                    Description = $"simulated layer {k} of {count}",
                });
            }
        }

        private static (int Width, int Height) SizeOf(string? size, SeedreamModel model, IReadOnlyList<ReferenceFacts> references)
        {
            if (string.Equals(size, "auto", StringComparison.OrdinalIgnoreCase))
            {
                // auto follows the input image, when its size is known.
                ReferenceFacts? input = references.FirstOrDefault();
                if (input?.Width is int w && input.Height is int h && (long)w * h <= SimulatedPicture.MaxPixels)
                {
                    return (w, h);
                }

                size = null;
            }

            return RequestRules.ResolveSize(size, model) ?? (2048, 2048);
        }

        /// <summary>
        /// What is known of a reference: a data URI is decoded and its header read; a simulator URL names its own size;
        /// any other URL is taken as given (the simulator fetches nothing).
        /// </summary>
        private static (ReferenceFacts?, SimulatedError?) FactsOf(string reference, int index)
        {
            if (ReferenceImage.IsDataUri(reference))
            {
                try
                {
                    return (ReferenceImage.FromDataUri(reference).Facts, null);
                }
                catch (Exception ex) when (ex is InvalidDataException || ex is FormatException || ex is SeedreamException)
                {
                    return (null, new SimulatedError(400, "InvalidImageURL.InvalidFormat", $"The image at index {index} cannot be read: {ex.Message}", "image"));
                }
            }

            if (!Uri.TryCreate(reference, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                return (null, new SimulatedError(400, "InvalidImageURL.InvalidFormat", $"The image at index {index} is neither an http(s) URL nor a data URI.", "image"));
            }

            string description = $"image {index + 1} ({url.GetLeftPart(UriPartial.Path)})";
            if (SimulatedImage.FromUrl(url) is { } simulated)
            {
                return (new ReferenceFacts(description, simulated.Image.Format, null, simulated.Image.Width, simulated.Image.Height, simulated.Image.Alpha != SimulatedAlpha.None), null);
            }

            return (new ReferenceFacts(description), null);
        }

        private static int? MaxLayers(JsonElement root) =>
            root.TryGetProperty("layer_decomposition_options", out JsonElement options) && options.ValueKind == JsonValueKind.Object &&
            options.TryGetProperty("max_layers", out JsonElement max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out int n) && n >= 1
                ? n
                : (int?)null;

        private static SimulatedError NotAccepted(SeedreamModel model, string field) =>
            Invalid($"The parameter {field} is not supported by model {model.Family}.", field);

        private static SimulatedError Invalid(string message, string param) => new SimulatedError(400, "InvalidParameter", message, param);

        private static string WireName(RequestField field) => field switch
        {
            RequestField.Prompt => "prompt",
            RequestField.Model => "model",
            RequestField.Size => "size",
            RequestField.MaxImages => "sequential_image_generation_options.max_images",
            RequestField.OutputFormat => "output_format",
            RequestField.Image => "image",
            RequestField.Stream => "stream",
            RequestField.OptimizePromptMode => "optimize_prompt_options.mode",
            RequestField.Thinking => "optimize_prompt_options.thinking",
            RequestField.Background => "background",
            RequestField.LayerDecomposition => "layer_decomposition",
            RequestField.MaxLayers => "layer_decomposition_options.max_layers",
            _ => "",
        };

        private static string? Text(JsonElement o, string name) =>
            o.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static bool Flag(JsonElement o, string name) =>
            o.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;
    }
}
