using System.Text;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>The exact summary of an error body that is not the API's JSON (mutation survivors of ResponseParser).</summary>
public sealed class ErrorBodySummaryTests
{
    private const string Tail = "; a proxy or gateway may have answered instead of the Seedream API.";

    [Theory]
    [InlineData("<html><head><title> Bad Gateway </title></head></html>", "text/html", "HTTP 502 Bad Gateway with an HTML page titled 'Bad Gateway'" + Tail)]
    [InlineData("<html><TITLE>Upper</TITLE></html>", "TEXT/HTML; charset=utf-8", "HTTP 502 Bad Gateway with an HTML page titled 'Upper'" + Tail)]
    [InlineData("<title>at the start</title>", "text/html", "HTTP 502 Bad Gateway with an HTML page titled 'at the start'" + Tail)]
    [InlineData("<html>no title</html>", "text/html", "HTTP 502 Bad Gateway with an HTML page" + Tail)]
    [InlineData("<html><title>never closed", "text/html", "HTTP 502 Bad Gateway with an HTML page" + Tail)]
    [InlineData("</title> before <title>", "text/html", "HTTP 502 Bad Gateway with an HTML page" + Tail)]
    [InlineData("<title></title>", "text/html", "HTTP 502 Bad Gateway with an HTML page" + Tail)]
    [InlineData("<title>not read as a page</title>", "text/plain", "HTTP 502 Bad Gateway with a non-JSON body (text/plain)" + Tail)]
    [InlineData("plain", null, "HTTP 502 Bad Gateway with a non-JSON body (no content type)" + Tail)]
    [InlineData("", "application/json", "HTTP 502 Bad Gateway with an empty body" + Tail)]
    public void ANonJsonBody_IsSummarisedExactly(string body, string? mediaType, string expected)
    {
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes(body), mediaType, 502, "Bad Gateway");
        Assert.Equal("Http502", error.Code);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData(80, false)]
    [InlineData(81, true)]
    public void ALongTitle_IsCutAt80Characters(int length, bool cut)
    {
        string title = new string('t', length);
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes($"<title>{title}</title>"), "text/html", 502, "Bad Gateway");
        Assert.Equal($"HTTP 502 Bad Gateway with an HTML page titled '{(cut ? new string('t', 80) + "..." : title)}'" + Tail, error.Message);
    }

    [Fact]
    public void AStringError_KeepsItsText()
    {
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes("{\"error\":\"quota gone\"}"), "application/json", 429, "Too Many Requests");
        Assert.Equal("Http429", error.Code);
        Assert.Equal("quota gone", error.Message);
    }

    [Fact]
    public void AnErrorObject_WithoutCodeOrMessage_IsUnknown_AndEmptyParamAndTypeAreNull()
    {
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes("{\"error\":{\"param\":\"\",\"type\":\"\"}}"), "application/json", 400, "Bad Request");
        Assert.Equal("Unknown", error.Code);
        Assert.Equal("", error.Message);
        Assert.Null(error.Param);
        Assert.Null(error.Type);

        ApiError full = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"InvalidParameter\",\"message\":\"m\",\"param\":\"size\",\"type\":\"t\"}}"), "application/json", 400, "Bad Request");
        Assert.Equal(("InvalidParameter", "m", "size", "t"), (full.Code, full.Message, full.Param, full.Type));
    }

    [Fact]
    public void ANonStringCode_IsNotTakenAsTheCode()
    {
        ApiError error = ResponseParser.ReadErrorBody(Encoding.UTF8.GetBytes("{\"error\":{\"code\":42,\"message\":\"m\"}}"), "application/json", 400, "Bad Request");
        Assert.Equal("Unknown", error.Code);
    }
}
