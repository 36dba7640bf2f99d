using Seedream.Commands;

namespace Seedream.Tests;

/// <summary>Name templates: the token check, the extension rule, and the names one call hands out.</summary>
public class FileNameTests
{
    private static SeedreamImage Image(string prompt = "a fox", string? requestId = "req-1") => new()
    {
        Index = 2, Model = "seedream-4-5-251128", Prompt = prompt, Width = 2048, Height = 1024, RequestId = requestId,
        Created = new DateTimeOffset(2026, 12, 1, 8, 30, 5, TimeSpan.Zero),
    };

    [Theory]
    [InlineData("seedream-{created}-{id}-{index}")]
    [InlineData("{model}_{width}x{height}_{prompt}")]
    [InlineData("plain")]
    [InlineData("not a {brace")]
    public void Known_tokens_and_plain_text_pass(string template) => Assert.Null(FileNames.CheckTemplate(template));

    [Theory]
    [InlineData("{date}", "'{date}' is not a name template token; the tokens are {created} {id} {index} {model} {prompt} {width} {height} {z} {layer}.")]
    [InlineData("x-{Index}", "'{Index}' is not a name template token (tokens are lower-case: {index}); the tokens are {created} {id} {index} {model} {prompt} {width} {height} {z} {layer}.")]
    [InlineData("{index}{ PROMPT }", "'{ PROMPT }' is not a name template token; the tokens are {created} {id} {index} {model} {prompt} {width} {height} {z} {layer}.")]
    public void Unknown_or_wrongly_cased_tokens_are_named_with_the_known_ones(string template, string expected) =>
        Assert.Equal(expected, FileNames.CheckTemplate(template));

    [Fact]
    public void An_empty_template_is_refused() => Assert.StartsWith("must not be empty", FileNames.CheckTemplate("  "));

    [Theory]
    [InlineData("{model}-{width}x{height}-{index}", "seedream-4-5-251128-2048x1024-2")]
    [InlineData("{created}", "20261201-083005")]
    [InlineData("pic.jpg", "pic")]
    [InlineData("pic.JPEG", "pic")]
    [InlineData("pic.png", "pic")]
    [InlineData("v1.2-{index}", "v1.2-2")]
    [InlineData(".jpg", "jpg")]
    public void Expands_tokens_and_drops_an_image_extension(string template, string expected) =>
        Assert.Equal(expected, FileNames.Expand(template, Image()));

    [Fact]
    public void A_prompt_that_holds_a_token_is_not_expanded_again() =>
        Assert.Equal("_width_", FileNames.Expand("{prompt}", Image("{width}")));

    [Fact]
    public void The_id_comes_from_the_image_bytes_when_there_is_no_request_id_or_url()
    {
        SeedreamImage a = Image(requestId: null), b = Image(requestId: ""), c = Image(requestId: null);
        a.ImageBytes = new byte[] { 1, 2, 3 };
        b.ImageBytes = new byte[] { 4, 5, 6 };
        c.ImageBytes = new byte[] { 1, 2, 3 };
        Assert.NotEqual(FileNames.Expand("{id}", a), FileNames.Expand("{id}", b));
        Assert.Equal(FileNames.Expand("{id}", a), FileNames.Expand("{id}", c));
        Assert.Matches("^[0-9a-f]{6}$", FileNames.Expand("{id}", a));
    }

    [Fact]
    public void One_call_never_hands_out_a_name_twice()
    {
        var names = new FileNameReservations(ignoreCase: false);
        Assert.Equal("shot", names.Reserve("shot"));
        Assert.Equal("shot-2", names.Reserve("shot"));
        Assert.Equal("shot-3", names.Reserve("shot"));
        Assert.Equal("shot-2-2", names.Reserve("shot-2"));
        Assert.Equal("Shot", names.Reserve("Shot"));
    }

    [Fact]
    public void Case_only_differences_collide_where_the_file_system_ignores_case()
    {
        var names = new FileNameReservations(ignoreCase: true);
        Assert.Equal("Cat", names.Reserve("Cat"));
        Assert.Equal("cat-2", names.Reserve("cat"));
        Assert.Equal("CAT-3", names.Reserve("CAT"));
    }

    [Theory]
    [InlineData("a red fox in the snow", 6)]
    [InlineData("  spaced\tout\nwords  ", 3)]
    [InlineData("猫が雪の中", 5)]
    [InlineData("a 猫 b", 3)]
    [InlineData("", 0)]
    public void Prompt_words_are_counted_with_each_cjk_character_as_one(string prompt, int words) =>
        Assert.Equal(words, PromptLength.CountWords(prompt));
}
