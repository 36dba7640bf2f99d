using System.Text;
using System.Text.Json;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>The incremental body reader gives what the whole-document parser gives, whatever the chunking.</summary>
public sealed class GenerationBodyReaderTests
{
    private static readonly byte[] ImageA = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] ImageB = Enumerable.Range(0, 1001).Select(i => (byte)(255 - (i % 251))).ToArray();

    public static TheoryData<string, string> Bodies => new()
    {
        { "urls", """{"model":"seedream-5-0-260128","created":1757321139,"data":[{"url":"https://x.example/a.jpeg?sig=1","size":"2048x2048"},{"url":"https://x.example/b.jpeg","size":"1024x1024"}],"usage":{"generated_images":2,"output_tokens":32768,"total_tokens":32768}}""" },
        { "base64", $$$"""{"model":"m","created":1,"data":[{"b64_json":"{{{Convert.ToBase64String(ImageA)}}}","size":"10x30"},{"b64_json":"{{{Convert.ToBase64String(ImageB)}}}"}],"usage":{"generated_images":2,"output_tokens":5,"total_tokens":6}}""" },
        { "error slots", $$$"""{"model":"m","created":2,"data":[{"error":{"code":"OutputImageSensitiveContentDetected","message":"The output image may contain sensitive content."}},{"b64_json":"{{{Convert.ToBase64String(ImageA)}}}","size":"1x1"},{"error":{"code":"X","message":"m","param":"","type":"t"}}],"usage":{"generated_images":1,"output_tokens":1,"total_tokens":1}}""" },
        { "escaped strings", """{"model":"mod\u00e9l\n\"q\"","created":3,"data":[{"url":"https:\/\/x.example\/a\u002Fb.png","size":"4x4"},{"b64_json":"AAEC\u002B\/w=","size":"2x2"},{"b64_json":"\u0041\u0041\u0041\u0041"}]}""" },
        { "unknown fields and nesting", $$$"""{"id":"x","extra":{"a":[1,2,{"b":[[],{}]}],"c":null},"model":"m","flags":[true,false,null,1.5e3,"s"],"created":4,"data":[{"revised_prompt":"p","meta":{"k":[1,{"z":"y"}]},"b64_json":"{{{Convert.ToBase64String(ImageB)}}}","size":"9x9"}],"usage":{"generated_images":1,"output_tokens":7,"total_tokens":9,"detail":{"x":1}},"tail":[{"deep":[[[1]]]}]}""" },
        { "odd slots", """{"model":"m","created":5,"data":[null,"text",42,[],{},{"url":null,"b64_json":null,"error":"not an object"},{"url":1,"size":2,"error":{"code":3}}]}""" },
        { "data before model", """{"data":[{"url":"https://x.example/a.png"}],"usage":{"generated_images":1,"output_tokens":1.5,"total_tokens":2.0},"created":6,"model":"late"}""" },
        { "whitespace", "\r\n  {\n\t\"model\" : \"m\" ,\n \"created\" : 7 ,\n \"data\" : [ { \"url\" : \"https://x.example/a.png\" , \"size\" : \"8x8\" } ] }\n\n " },
        { "no data, no usage", """{"model":"m","created":8}""" },
        { "empty data", """{"model":"m","created":9,"data":[],"usage":{}}""" },
        { "data not an array", """{"model":"m","data":{"url":"u"},"created":10}""" },
        { "model not a string", """{"model":{"id":"m"},"created":11,"data":[{"url":"u"}]}""" },
        { "newer model fields", """{"model":"seedream-5-0-pro-260628","created":12,"data":[{"url":"https://x.example/a.png","size":"2048x2048","output_format":"png","background":"transparent","z_index":0,"bounding_box":{"absolute":[0,0,5,5]}},{"url":"https://x.example/b.jpeg","output_format":"jpeg"}],"usage":{"generated_images":2,"input_images":1,"output_tokens":16280,"total_tokens":16280}}""" },
        { "odd new fields", """{"model":"m","created":13,"data":[{"url":"u","output_format":7,"background":null}],"usage":{"generated_images":1,"input_images":-1}}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task GivesTheSameResultAsTheDocumentParser(string name, string body)
    {
        GenerationResult expected = ParseWithDocument(body);
        GenerationResult whole = await ReadAsync(body, bytesPerRead: int.MaxValue);
        AssertSame(expected, whole, name);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task GivesTheSameResultWhateverTheChunkBoundaries(string name, string body)
    {
        GenerationResult expected = ParseWithDocument(body);
        for (int seed = 0; seed < 5; seed++)
        {
            // Reads of 1..7 bytes and a 1-byte starting buffer: every token is split at every kind of place.
            GenerationResult chunked = await ReadAsync(body, bytesPerRead: 7, seed: seed, initialBufferSize: 1);
            AssertSame(expected, chunked, $"{name} (seed {seed})");
        }
    }

    [Fact]
    public async Task ReadsTheNewerModelsFields()
    {
        GenerationResult result = await ReadAsync(Bodies.Single(b => (string)b[0] == "newer model fields")[1].ToString()!, bytesPerRead: int.MaxValue);
        Assert.Equal(new[] { "png", "jpeg" }, result.Images.Select(i => i.OutputFormat));
        Assert.Equal(new[] { "transparent", null }, result.Images.Select(i => i.Background));
        Assert.Equal(1, result.Usage!.InputImages);
        GenerationResult old = await ReadAsync(Bodies.Single(b => (string)b[0] == "urls")[1].ToString()!, bytesPerRead: int.MaxValue);
        Assert.Null(old.Usage!.InputImages);
        Assert.NotEmpty(old.Images);
        Assert.All(old.Images, i => Assert.Null(i.OutputFormat));
    }

    [Fact]
    public async Task ReadsALayerDecompositionsFieldsWhateverTheChunkBoundaries()
    {
        const string body = """{"model":"m","created":14,"data":[{"url":"https://x.example/base.jpeg","size":"2048x1536","z_index":0},""" +
                            """{"url":"https://x.example/l1.png","z_index":1,"bounding_box":{"absolute":[120,80,732,490],"normalized":[59,39,357,239],"extra":[1]},"name":"logo","description":"the red \"logo\""},""" +
                            """{"url":"https://x.example/l2.png","z_index":"2","bounding_box":{"absolute":[1,2,3],"normalized":[1,2,3,4.5]},"name":7}]}""";
        for (int seed = 0; seed < 5; seed++)
        {
            GenerationResult result = await ReadAsync(body, bytesPerRead: 7, seed: seed, initialBufferSize: 1);
            Assert.Equal(new int?[] { 0, 1, null }, result.Images.Select(i => i.ZIndex));
            Assert.Null(result.Images[0].BoundingBox);
            Assert.Equal(new[] { 120, 80, 732, 490 }, result.Images[1].BoundingBox);
            Assert.Equal(new[] { 59, 39, 357, 239 }, result.Images[1].NormalizedBoundingBox);
            Assert.Equal("logo", result.Images[1].LayerName);
            Assert.Equal("the red \"logo\"", result.Images[1].LayerDescription);

            // A value of the wrong shape is read past, never half-taken.
            Assert.Null(result.Images[2].BoundingBox);
            Assert.Null(result.Images[2].NormalizedBoundingBox);
            Assert.Null(result.Images[2].LayerName);
            Assert.Equal("https://x.example/l2.png", result.Images[2].Url);
        }
    }

    [Fact]
    public async Task ASlotThatIsNotAnImageFailsAloneWithItsOwnIndexAndMessage()
    {
        // The oracle applies the same SlotRules, so the comparisons above cannot see these rules change: assert them here.
        const string body = """{"model":"m","created":1,"data":[1,{"url":"https://x.example/a.png"},"text",{},{"error":{"message":"m","param":"","type":""}},{"error":{"code":"C"}}]}""";
        for (int seed = 0; seed < 3; seed++)
        {
            GenerationResult result = await ReadAsync(body, bytesPerRead: 5, seed: seed, initialBufferSize: 1);

            Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, result.Images.Select(i => i.Index));
            foreach (int notAnObject in new[] { 0, 2 })
            {
                Assert.Equal("InvalidResponse", result.Images[notAnObject].Error!.Code);
                Assert.Equal("A data[] slot was not a JSON object.", result.Images[notAnObject].Error!.Message);
                Assert.False(result.Images[notAnObject].Succeeded);
            }

            Assert.Null(result.Images[1].Error);
            Assert.Equal("https://x.example/a.png", result.Images[1].Url);
            Assert.Equal("InvalidResponse", result.Images[3].Error!.Code);
            Assert.Equal("A data[] slot held neither url, b64_json nor error.", result.Images[3].Error!.Message);

            // An error without a code is "Unknown"; an empty param or type is absent; a missing message is empty.
            Assert.Equal(("Unknown", "m", (string?)null, (string?)null), (result.Images[4].Error!.Code, result.Images[4].Error!.Message, result.Images[4].Error!.Param, result.Images[4].Error!.Type));
            Assert.Equal(("C", ""), (result.Images[5].Error!.Code, result.Images[5].Error!.Message));
        }
    }

    [Fact]
    public async Task DecodesBase64ToTheOriginalBytesAndKeepsErrorSlotsInPlace()
    {
        string body = $$$"""{"model":"m","created":1700000000,"data":[{"b64_json":"{{{Convert.ToBase64String(ImageB)}}}","size":"1x1"},{"error":{"code":"OutputImageSensitiveContentDetected","message":"blocked","param":"prompt","type":"BadRequest"}}]}""";

        GenerationResult result = await ReadAsync(body, bytesPerRead: 3, seed: 1);

        Assert.Equal(2, result.Images.Count);
        Assert.Equal(ImageB, result.Images[0].Bytes);
        Assert.True(result.Images[0].Succeeded);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), result.Images[0].Created);
        ApiError error = Assert.IsType<ApiError>(result.Images[1].Error);
        Assert.Equal(1, result.Images[1].Index);
        Assert.Equal("OutputImageSensitiveContentDetected", error.Code);
        Assert.Equal("blocked", error.Message);
        Assert.Equal("prompt", error.Param);
        Assert.Equal("BadRequest", error.Type);
        Assert.Null(result.Images[1].Bytes);
    }

    [Fact]
    public async Task DecodesBase64AsItArrivesWithoutBufferingIt()
    {
        byte[] image = new byte[600_000];
        new Random(7).NextBytes(image);
        string base64 = Convert.ToBase64String(image);
        string slots = string.Join(",", Enumerable.Repeat($$$"""{"b64_json":"{{{base64}}}","size":"4096x4096"}""", 4));
        byte[] body = Encoding.UTF8.GetBytes($$$"""{"model":"m","created":1,"data":[{{{slots}}}]}""");
        var result = new GenerationResult();

        IncrementalJsonReader reader = await GenerationBodyReader.ReadAsync(new ChunkedStream(body, 64 * 1024), result, 16 * 1024, CancellationToken.None);

        Assert.Equal(4, result.Images.Count);
        Assert.All(result.Images, i => Assert.Equal(image, i.Bytes));
        Assert.True(reader.BufferSize == 16 * 1024, $"the read buffer grew to {reader.BufferSize} bytes for {base64.Length}-byte base64 strings");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(196_611)]
    public void DecoderMatchesConvertForAnyLengthAndAnyPieces(int length)
    {
        byte[] original = new byte[length];
        new Random(length).NextBytes(original);
        byte[] base64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(original));
        var random = new Random(1);
        foreach (int maxPiece in new[] { 1, 3, 7, 4096, int.MaxValue })
        {
            var decoder = new Base64StreamDecoder();
            for (int at = 0; at < base64.Length;)
            {
                int piece = Math.Min(base64.Length - at, maxPiece == int.MaxValue ? base64.Length : random.Next(1, maxPiece + 1));
                decoder.Append(base64.AsSpan(at, piece));
                at += piece;
            }

            Assert.Equal(original, decoder.Finish().ToArray());
        }
    }

    [Theory]
    [InlineData("QUJD", "QQ=", "its length is not a multiple of 4")]
    [InlineData("QUJD", "Q!==", "The b64_json value is not valid base64.")]
    [InlineData("QU=D", "QUJD", "The b64_json value is not valid base64.")]
    public void TheDecoderSaysWhatIsWrongWithBadBase64(string first, string second, string says)
    {
        var decoder = new Base64StreamDecoder();
        FormatException error = Assert.Throws<FormatException>(() =>
        {
            decoder.Append(Encoding.ASCII.GetBytes(first));
            decoder.Append(Encoding.ASCII.GetBytes(second));
            decoder.Finish();
        });
        Assert.Contains(says, error.Message);
    }

    public static TheoryData<string, Type> Malformed => new()
    {
        { "", typeof(JsonException) },
        { "   ", typeof(JsonException) },
        { """{"model":"m","created":1,"data":[{"url":"http://127.0.0.1/fi""", typeof(JsonException) },
        { """{"model":"m","data":[{"url":"u"}]""", typeof(JsonException) },
        { """{"model":"m","data":[{"url":"u"}]}}""", typeof(JsonException) },
        { """{"model":"m"} {"model":"n"}""", typeof(JsonException) },
        { """{"model":"m",}""", typeof(JsonException) },
        { """{"model":'m'}""", typeof(JsonException) },
        { """{"model":"m","data":[{"b64_json":"not base64!"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"QUJD"}""", typeof(JsonException) },
        { """{"model":"m","data":[{"b64_json":"QUJD""", typeof(JsonException) },
        { """{"model":"m","data":[{"b64_json":"QQ==QUJD"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"QUJDQ"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"QU JD"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"\u00e9UJD"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"QU\nJD"}]}""", typeof(FormatException) },
        { """{"model":"m","data":[{"b64_json":"QU\xJD"}]}""", typeof(JsonException) },
        { """{"model":"m","data":[{"b64_json":"QU\u00ZZJD"}]}""", typeof(JsonException) },
        { """[{"url":"u"}]""", typeof(FormatException) },
        { "\"just a string\"", typeof(FormatException) },
        { "<html><title>502 Bad Gateway</title></html>", typeof(JsonException) },
        { """{"model":"m","created":99999999999999999}""", typeof(FormatException) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task RejectsMalformedBodiesWithTheExceptionsTheClientReportsAsABrokenBody(string body, Type expected)
    {
        foreach (int bytesPerRead in new[] { int.MaxValue, 1, 5 })
        {
            Exception? thrown = await Record.ExceptionAsync(() => ReadAsync(body, bytesPerRead));
            Assert.NotNull(thrown);
            Assert.True(expected.IsInstanceOfType(thrown), $"'{body}' in {bytesPerRead}-byte reads threw {thrown!.GetType().Name}: {thrown.Message}");
        }
    }

    [Fact]
    public async Task StopsWhenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        byte[] body = Encoding.UTF8.GetBytes("""{"model":"m"}""");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            GenerationBodyReader.ReadAsync(new ChunkedStream(body, 1), new GenerationResult(), cancel.Token));
    }

    private static GenerationResult ParseWithDocument(string body)
    {
        var result = new GenerationResult { Model = "requested" };
        using JsonDocument document = JsonDocument.Parse(body);
        ReferenceBodyParser.Read(document.RootElement, result);
        return result;
    }

    private static async Task<GenerationResult> ReadAsync(string body, int bytesPerRead, int seed = 0, int initialBufferSize = 16 * 1024)
    {
        var result = new GenerationResult { Model = "requested" };
        var stream = new ChunkedStream(Encoding.UTF8.GetBytes(body), bytesPerRead, seed);
        await GenerationBodyReader.ReadAsync(stream, result, initialBufferSize, CancellationToken.None);
        return result;
    }

    private static void AssertSame(GenerationResult expected, GenerationResult actual, string body)
    {
        Assert.True(expected.Model == actual.Model, $"{body}: model '{actual.Model}', expected '{expected.Model}'");
        Assert.True(expected.Created == actual.Created, $"{body}: created");
        Assert.True(expected.Images.Count == actual.Images.Count, $"{body}: {actual.Images.Count} images, expected {expected.Images.Count}");
        for (int i = 0; i < expected.Images.Count; i++)
        {
            GeneratedImage e = expected.Images[i], a = actual.Images[i];
            string where = $"{body}: image {i}";
            Assert.True(e.Index == a.Index, $"{where} index");
            Assert.True(e.Url == a.Url, $"{where} url '{a.Url}', expected '{e.Url}'");
            Assert.True(e.Size == a.Size, $"{where} size");
            Assert.True(e.OutputFormat == a.OutputFormat, $"{where} output_format '{a.OutputFormat}', expected '{e.OutputFormat}'");
            Assert.True(e.Background == a.Background, $"{where} background");
            Assert.True(e.Model == a.Model, $"{where} model");
            Assert.True(e.Created == a.Created, $"{where} created");
            Assert.True((e.Bytes is null) == (a.Bytes is null) && (e.Bytes is null || e.Bytes.AsSpan().SequenceEqual(a.Bytes)), $"{where} bytes");
            Assert.True((e.Error is null) == (a.Error is null), $"{where} error presence");
            if (e.Error != null)
            {
                Assert.True(e.Error.Code == a.Error!.Code && e.Error.Message == a.Error.Message && e.Error.Param == a.Error.Param && e.Error.Type == a.Error.Type,
                    $"{where} error '{a.Error}', expected '{e.Error}'");
            }
        }

        Assert.True((expected.Usage is null) == (actual.Usage is null), $"{body}: usage presence");
        if (expected.Usage != null)
        {
            Assert.True(expected.Usage.GeneratedImages == actual.Usage!.GeneratedImages &&
                        expected.Usage.OutputTokens == actual.Usage.OutputTokens &&
                        expected.Usage.TotalTokens == actual.Usage.TotalTokens &&
                        expected.Usage.InputImages == actual.Usage.InputImages, $"{body}: usage {actual.Usage}, expected {expected.Usage}");
        }
    }
}
