using System.Collections;
using System.Text;
using System.Text.Json;
using Seedream.Api;

namespace Seedream.Tests;

public class RequestBodyWriterTests
{
    private static JsonElement Write(GenerationRequest request)
    {
        using JsonDocument document = JsonDocument.Parse(RequestBodyWriter.ToUtf8Json(request));
        return document.RootElement.Clone();
    }

    private static string[] Names(JsonElement body) => body.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void TextToImage_WritesTopLevelSnakeCaseFieldsOnly()
    {
        JsonElement body = Write(new GenerationRequest { Model = "seedream-4-5-251128", Prompt = "a fox" });

        Assert.Equal(new[] { "model", "prompt", "sequential_image_generation", "response_format", "watermark" }, Names(body));
        Assert.Equal("disabled", body.GetProperty("sequential_image_generation").GetString());
        Assert.Equal("url", body.GetProperty("response_format").GetString());
        Assert.False(body.GetProperty("watermark").GetBoolean());
    }

    [Theory]
    [InlineData(1, null, GenerationMode.Edit, "disabled")]
    [InlineData(3, null, GenerationMode.Fusion, "disabled")]
    [InlineData(0, 4, GenerationMode.Sequence, "auto")]
    [InlineData(2, 3, GenerationMode.ImageToSequence, "auto")]
    public void Modes_AreToldByTheBodyAlone(int references, int? maxImages, GenerationMode mode, string sequential)
    {
        string[] urls = Enumerable.Range(1, references).Select(i => $"https://img.example/{i}.png").ToArray();
        var request = new GenerationRequest { Model = "m", Prompt = "p", Images = urls.Select(RequestImage.FromText).ToArray(), MaxImages = maxImages };

        JsonElement body = Write(request);

        Assert.Equal(mode, request.Mode);
        Assert.Equal(sequential, body.GetProperty("sequential_image_generation").GetString());
        if (references > 0)
        {
            Assert.Equal(JsonValueKind.Array, body.GetProperty("image").ValueKind);
            Assert.Equal(urls, body.GetProperty("image").EnumerateArray().Select(e => e.GetString()));
        }
        else
        {
            Assert.False(body.TryGetProperty("image", out _));
        }

        if (maxImages is int n)
        {
            Assert.Equal(n, body.GetProperty("sequential_image_generation_options").GetProperty("max_images").GetInt32());
        }
        else
        {
            Assert.False(body.TryGetProperty("sequential_image_generation_options", out _));
        }
    }

    [Fact]
    public void OptionalFields_AreWrittenOnlyWhenSet()
    {
        JsonElement body = Write(new GenerationRequest
        {
            Model = "m", Prompt = "p", Size = "2048x2048", ResponseFormat = ResponseFormats.Base64Json,
            OutputFormat = "png", Watermark = true, Stream = true, OptimizePromptMode = "fast",
        });

        Assert.Equal("2048x2048", body.GetProperty("size").GetString());
        Assert.Equal("b64_json", body.GetProperty("response_format").GetString());
        Assert.Equal("png", body.GetProperty("output_format").GetString());
        Assert.True(body.GetProperty("watermark").GetBoolean());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal("fast", body.GetProperty("optimize_prompt_options").GetProperty("mode").GetString());
        Assert.False(body.TryGetProperty("extra_body", out _));
    }

    [Fact]
    public void AdditionalBody_IsMergedAtTheTopLevel_AndReplacesAModuleFieldOfTheSameName()
    {
        var nested = new Hashtable { ["a"] = "b", ["n"] = 2.5 };
        JsonElement body = Write(new GenerationRequest
        {
            Model = "m", Prompt = "p",
            AdditionalBody = new Dictionary<string, object?>
            {
                ["seed"] = 42, ["nested"] = nested, ["list"] = new List<object?> { 1, "two", null, true }, ["watermark"] = true,
            },
        });

        Assert.Equal(42, body.GetProperty("seed").GetInt32());
        Assert.Equal("b", body.GetProperty("nested").GetProperty("a").GetString());
        Assert.Equal(2.5m, body.GetProperty("nested").GetProperty("n").GetDecimal());
        Assert.Equal("[1,\"two\",null,true]", body.GetProperty("list").GetRawText());
        Assert.Single(Names(body), n => n == "watermark");
        Assert.True(body.GetProperty("watermark").GetBoolean());
    }

    [Fact]
    public void DisplayJson_ShortensDataUris_AndKeepsShortValues()
    {
        string payload = Convert.ToBase64String(new byte[30_000]);
        string dataUri = "data:image/png;base64," + payload;
        string display = RequestBodyWriter.ToDisplayJson(new GenerationRequest
        {
            Model = "m", Prompt = "keep me", Images = new[] { RequestImage.FromText(dataUri), RequestImage.FromText("https://img.example/a.png") },
        });

        Assert.DoesNotContain(payload.Substring(0, 200), display);
        Assert.Contains("data:image/png;base64,", display);
        Assert.Contains($"({dataUri.Length:N0} chars)", display);
        Assert.Contains("https://img.example/a.png", display);
        Assert.Contains("keep me", display);
        Assert.True(display.Length < 1000);
    }

    [Fact]
    public void Prompt_IsEscapedAsJson()
    {
        string prompt = "quote \" backslash \\ newline \n 中文";
        JsonElement body = Write(new GenerationRequest { Model = "m", Prompt = prompt });
        Assert.Equal(prompt, body.GetProperty("prompt").GetString());
    }

    [Fact]
    public void A_model_without_sequences_gets_no_sequential_field_at_all()
    {
        JsonElement body = Write(new GenerationRequest { Model = "seedream-5-5-261028", Prompt = "a fox", SequenceField = false });
        Assert.Equal(new[] { "model", "prompt", "response_format", "watermark" }, Names(body));
    }

    [Fact]
    public void Thinking_background_and_layers_are_written_only_when_set()
    {
        JsonElement body = Write(new GenerationRequest
        {
            Model = "m", Prompt = "p", SequenceField = false, OptimizePromptMode = "fast", Thinking = "disabled", Background = "transparent", LayerDecomposition = true,
        });
        Assert.Equal(new[] { "model", "prompt", "response_format", "watermark", "optimize_prompt_options", "background", "layer_decomposition" }, Names(body));
        Assert.Equal("fast", body.GetProperty("optimize_prompt_options").GetProperty("mode").GetString());
        Assert.Equal("disabled", body.GetProperty("optimize_prompt_options").GetProperty("thinking").GetString());
        Assert.Equal("transparent", body.GetProperty("background").GetString());
        Assert.True(body.GetProperty("layer_decomposition").GetBoolean());

        JsonElement thinkingOnly = Write(new GenerationRequest { Model = "m", Prompt = "p", Thinking = "enabled" });
        Assert.Equal(new[] { "thinking" }, Names(thinkingOnly.GetProperty("optimize_prompt_options")));
    }
}

public class ResponseParserTests
{
    [Fact]
    public void ErrorBody_JsonErrorObject_GivesCodeMessageAndParam()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"error":{"code":"InvalidParameter","message":"size is bad request id: r1","param":"size","type":"BadRequest"}}""");

        ApiError error = ResponseParser.ReadErrorBody(body, "application/json", 400, "Bad Request");

        Assert.Equal("InvalidParameter", error.Code);
        Assert.Equal("size is bad request id: r1", error.Message);
        Assert.Equal("size", error.Param);
        Assert.Equal("BadRequest", error.Type);
    }

    [Fact]
    public void ErrorBody_HtmlPage_GivesAShortLineWithItsTitle()
    {
        string filler = string.Concat(Enumerable.Repeat("<p>lots of markup</p>", 500));
        byte[] body = Encoding.UTF8.GetBytes($"<html><head><title>502 Bad Gateway</title></head><body>{filler}</body></html>");

        ApiError error = ResponseParser.ReadErrorBody(body, "text/html", 502, "Bad Gateway");

        Assert.Equal("Http502", error.Code);
        Assert.Contains("HTML page titled '502 Bad Gateway'", error.Message);
        Assert.DoesNotContain("<", error.Message);
        Assert.True(error.Message.Length < 300);
    }

    [Theory]
    [InlineData("", "text/plain", "an empty body")]
    [InlineData("upstream connect error", "text/plain", "a non-JSON body (text/plain)")]
    [InlineData("{\"error\":\"quota gone\"}", "application/json", "quota gone")]
    public void ErrorBody_OtherShapes_AreReadable(string text, string mediaType, string expected)
    {
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes(text), mediaType, 503, "Service Unavailable");
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Slot_WithNeitherUrlNorDataNorError_IsAnInvalidResponse()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"data":[{"url":"https://img.example/0.png"},{"size":"10x10"}]}""");
        var result = new GenerationResult();
        await GenerationBodyReader.ReadAsync(new MemoryStream(body), result, CancellationToken.None);
        GeneratedImage image = result.Images[1];
        Assert.Equal(1, image.Index);
        Assert.False(image.Succeeded);
        Assert.Equal("InvalidResponse", image.Error!.Code);
    }

}
