using System.Text;
using Seedream.Api;

namespace Seedream.Tests;

/// <summary>GET {base}/models: the listing read as the contract describes it, against the fake and from odd bodies.</summary>
public sealed class ModelListingTests : FakeServerTests
{
    public ModelListingTests()
        : base("listing-key")
    {
    }

    private SeedreamClient Client(Uri baseUri, string key) =>
        new(Http, new ClientOptions { BaseUri = baseUri, ApiKey = key, Timeout = TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task Lists_the_models_of_the_route_with_their_status()
    {
        ModelListing listing = await Client(Server.ApiVolcengine, Key).ListModelsAsync(CancellationToken.None);
        Assert.StartsWith("req-", listing.RequestId);
        ListedModel lite = listing.Models.Single(m => m.Id == "doubao-seedream-5-0-260128");
        Assert.Equal("Shutdown", lite.Status);
        Assert.Null(listing.Models.Single(m => m.Id == "doubao-seedream-5-5-261028").Status);
        Assert.Equal(new[] { "ImageGeneration" }, lite.TaskTypes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_764_547_200), lite.Created);
        Assert.Equal("models", Server.Requests.Single().Target);
    }

    [Fact]
    public async Task A_wrong_key_is_an_api_error_and_the_gateway_has_no_listing()
    {
        SeedreamApiException wrong = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(Server.ApiV3, "nope").ListModelsAsync(CancellationToken.None));
        Assert.Equal(401, wrong.StatusCode);
        Assert.Equal("AuthenticationError", wrong.ErrorCode);
        SeedreamApiException missing = await Assert.ThrowsAsync<SeedreamApiException>(() => Client(Server.ApiV1, Key).ListModelsAsync(CancellationToken.None));
        Assert.Equal(404, missing.StatusCode);
    }

    [Theory]
    [InlineData("""{"data":[{"id":"a"},{"name":"no id"},{"id":""},"text",{"id":"b","status":"Retiring","task_type":["X",1],"created":"soon"}],"extra":{"n":[1]}}""", "a,b")]
    [InlineData("""{"data":[]}""", "")]
    [InlineData("""{"object":"list","data":[{"id":"c","created":99999999999999}]}""", "c")]
    public void Reads_what_it_can_and_skips_the_rest(string body, string ids)
    {
        IReadOnlyList<ListedModel> models = SeedreamClient.ParseListing(Encoding.UTF8.GetBytes(body));
        Assert.Equal(ids, string.Join(",", models.Select(m => m.Id)));
        if (models.FirstOrDefault(m => m.Id == "b") is { } b)
        {
            Assert.Equal("Retiring", b.Status);
            Assert.Equal(new[] { "X" }, b.TaskTypes);
            Assert.Null(b.Created);
        }

        if (models.FirstOrDefault(m => m.Id == "c") is { } c)
        {
            Assert.Null(c.Created);
        }
    }

    [Theory]
    [InlineData("""{"models":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"data":{}}""")]
    public void A_body_without_a_data_array_is_not_a_listing(string body)
    {
        Assert.Throws<FormatException>(() => SeedreamClient.ParseListing(Encoding.UTF8.GetBytes(body)));
    }
}
