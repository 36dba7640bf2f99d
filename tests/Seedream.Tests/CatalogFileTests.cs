using System.Text.Json.Nodes;
using Seedream.Catalog;

namespace Seedream.Tests;

/// <summary>
/// The catalog as a file: the shipped catalog.json holds together (every model has ids, tiers within its pixel range,
/// a price on every provider, dates that parse), a user's catalog adds, changes and maps models, and a bad file is an
/// error that names the file, the entry and the field.
/// </summary>
public class CatalogFileTests
{
    private static readonly string ShippedText = File.ReadAllText(ModelCatalog.ShippedPath);

    // ------------------------------------------------------------------ the shipped file

    [Fact]
    public void The_shipped_file_is_read_from_beside_the_assembly()
    {
        Assert.True(File.Exists(ModelCatalog.ShippedPath));
        Assert.Equal(new[] { ModelCatalog.ShippedPath }, ModelCatalog.Shipped.Files);
        Assert.Same(ModelCatalog.Shipped, ModelCatalog.Load(null));
        Assert.Same(ModelCatalog.Shipped, ModelCatalog.Load("  "));
    }

    [Fact]
    public void Every_shipped_model_is_complete_on_every_provider()
    {
        SeedreamCatalog catalog = ModelCatalog.Shipped;
        Assert.NotEmpty(catalog.Models);
        foreach (SeedreamModel model in catalog.Models)
        {
            Assert.Equal(catalog.Providers.Select(p => p.Name), model.Offers.Select(o => o.Provider.Name));
            foreach (ModelOffer offer in model.Offers)
            {
                Assert.NotEmpty(offer.Ids);
                Assert.All(offer.Ids, id => Assert.Matches("^[a-z0-9][a-z0-9-]+[a-z0-9]$", id));
                Assert.InRange(offer.MaxReferenceImages, 1, catalog.Limits.MaxReferencesPlusOutputs - 1);
                if (offer.Provider.IsSimulated)
                {
                    // The simulator bills nothing, and takes every id any provider gives the model.
                    Assert.Equal(0m, offer.Price.OneImage(model.DefaultPixels));
                    Assert.Equal(0m, offer.Price.Estimate(3, model.DefaultPixels, 2));
                    Assert.Empty(model.AllIds.Except(offer.Ids));
                }
                else
                {
                    Assert.True(offer.Price.OneImage(model.DefaultPixels) > 0, $"{model.Family} on {offer.Provider} has no price");
                }
                if (offer.Status.State != ModelState.Live)
                {
                    Assert.NotNull(offer.Status.Date);
                }
            }

            Assert.NotEmpty(model.SizeTiers);
            Assert.All(model.SizeTiers, t => Assert.InRange(t.Pixels, model.MinPixels, model.MaxPixels));
            Assert.NotNull(model.DefaultSize);
            Assert.NotNull(RequestRules.ResolveSize(model.DefaultSize, model));
            Assert.NotEmpty(model.OutputFormats);
            Assert.Contains("standard", model.PromptOptimizationModes);
            Assert.Matches(@"^20\d\d-\d\d$", model.Released);
        }
    }

    [Fact]
    public void Every_providers_default_model_is_live_there()
    {
        foreach (SeedreamProvider provider in ModelCatalog.Shipped.Providers)
        {
            ModelChoice choice = ModelCatalog.Shipped.Default(provider);
            Assert.NotNull(choice.Offer);
            Assert.NotEqual(ModelState.Retired, choice.Offer!.Status.State);
        }
    }

    // ------------------------------------------------------------------ bad files name the file, the entry and the field

    /// <summary>The shipped file with one change applied, as a shipped-form catalog.</summary>
    private static string ShippedWith(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(ShippedText)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The 5.0-lite entry (models[3]) of the shipped file.</summary>
    private static JsonObject FirstModel(JsonObject root) => root["models"]!.AsArray().Single(m => (string?)m!["family"] == "5.0-lite")!.AsObject();

    public static TheoryData<string, Action<JsonObject>, string> ShippedBreakages => new()
    {
        { "a tier outside the pixel range", r => FirstModel(r)["sizes"]!["tiers"]!["2K"] = "1024x1024", "model '5.0-lite' (models[3]), field 'sizes.tiers.2K': 1024x1024 is 1,048,576 pixels, outside the model's 3,686,400 to 10,404,496." },
        { "a tier in lower case", r => { FirstModel(r)["sizes"]!["tiers"]!.AsObject().Remove("2K"); FirstModel(r)["sizes"]!["tiers"]!["2k"] = "2048x2048"; }, "field 'sizes.tiers.2k': a tier is named like the API spells it: a number and an upper-case K (1K, 1.5K, 2K)." },
        { "a WxH with an upper-case X", r => FirstModel(r)["sizes"]!["recommended"]![0] = "2048X2048", "field 'sizes.recommended[0]': must be WIDTHxHEIGHT with a lower-case x (2048x2048); got \"2048X2048\"." },
        { "a missing field", r => FirstModel(r).Remove("outputFormats"), "model '5.0-lite' (models[3]), field 'outputFormats': is required (an array of strings)." },
        { "a number as text", r => FirstModel(r)["sizes"]!["minPixels"] = "3686400", "field 'sizes.minPixels': must be a whole number; got \"3686400\"." },
        { "a misspelt field", r => FirstModel(r)["outputformats"] = new JsonArray("jpeg"), "field 'outputformats': is not a field; field names are case-sensitive: did you mean 'outputFormats'?" },
        { "an unknown field", r => FirstModel(r)["colour"] = "red", "field 'colour': is not a field here; known fields: family, names," },
        { "an unknown provider", r => FirstModel(r)["providers"]!["Azure"] = new JsonObject(), "field 'providers.Azure': 'Azure' is not a provider; use APIYI, BytePlus, Volcengine, Simulator." },
        { "a price as text", r => FirstModel(r)["providers"]!["APIYI"]!["price"]!["perImage"] = "0.035", "field 'providers.APIYI.price.perImage': must be a price in US dollars from 0 to 1000 (0.035); got \"0.035\"." },
        { "no price at all", r => FirstModel(r)["providers"]!["APIYI"]!["price"] = new JsonObject(), "field 'providers.APIYI.price': needs perImage or perRequest (use 0 for a free model)." },
        { "a retirement without a date", r => FirstModel(r)["providers"]!["BytePlus"]!["status"] = new JsonObject { ["state"] = "retired" }, "field 'providers.BytePlus.status.date': a retired model needs the date it was switched off." },
        { "a date that does not parse", r => FirstModel(r)["providers"]!["BytePlus"]!["status"] = new JsonObject { ["state"] = "retiring", ["date"] = "next spring" }, "field 'providers.BytePlus.status.date': 'next spring' is not a date (2026-11-24, or 2026-11-24T14:00:00+08:00)." },
        { "an unknown state", r => FirstModel(r)["providers"]!["BytePlus"]!["status"] = new JsonObject { ["state"] = "sleeping" }, "field 'providers.BytePlus.status.state': 'sleeping' is not live, retiring or retired." },
        { "an id twice in the catalog", r => FirstModel(r)["providers"]!["APIYI"]!["ids"] = new JsonArray("seedream-4-5-251128"), "'seedream-4-5-251128' already names model '5.0-lite'" },
        { "price steps that do not rise", r => FirstModel(r)["providers"]!["APIYI"]!["price"]!["perImage"] = JsonNode.Parse("""[{"maxPixels": 5000000, "usd": 0.02}, {"maxPixels": 4000000, "usd": 0.03}, {"usd": 0.04}]"""), "field 'providers.APIYI.price.perImage[1].maxPixels': the steps must rise: each maxPixels above the previous one." },
        { "an open step before the last", r => FirstModel(r)["providers"]!["APIYI"]!["price"]!["perImage"] = JsonNode.Parse("""[{"usd": 0.02}, {"usd": 0.03}]"""), "field 'providers.APIYI.price.perImage[0].maxPixels': only the last step may leave out maxPixels" },
        { "a default model that is not there", r => r["providers"]![2]!["defaultModel"] = "9.9", "provider 'Volcengine', field 'defaultModel': '9.9' must be a model offered, and not retired, on Volcengine." },
        { "a newer catalog version", r => r["catalogVersion"] = 2, "the top level, field 'catalogVersion': this module reads catalog version 1; the file is version 2." },
    };

    [Theory]
    [MemberData(nameof(ShippedBreakages))]
    public void A_broken_shipped_catalog_names_the_file_entry_and_field(string what, Action<JsonObject> change, string says)
    {
        CatalogException error = Assert.Throws<CatalogException>(() => ModelCatalog.Parse(ShippedWith(change), "/x/catalog.json"));
        Assert.StartsWith("Catalog file '/x/catalog.json', ", error.Message);
        Assert.True(error.Message.Contains(says, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.Equal("/x/catalog.json", error.File);
    }

    [Theory]
    [InlineData("{ \"models\": [ }", "the file: is not valid JSON at line 1, position 15: '}' is an invalid start of a value.")]
    [InlineData("{\n  \"models\": [\n    { \"family\": \"x\" \n  ]\n}", "the file: is not valid JSON at line 4")]
    [InlineData("[1, 2]", "the file: must hold one JSON object")]
    [InlineData("", "the file: is not valid JSON")]
    public void A_file_that_is_not_a_JSON_object_says_where(string text, string says)
    {
        CatalogException error = Assert.Throws<CatalogException>(() => ModelCatalog.Parse(text, "mine.json", ModelCatalog.Shipped));
        Assert.Contains("Catalog file 'mine.json', " + says, error.Message);
    }

    // ------------------------------------------------------------------ a user's catalog on top

    private static SeedreamCatalog Over(string json) => ModelCatalog.Parse(json, "user.json", ModelCatalog.Shipped);

    [Fact]
    public void Comments_and_trailing_commas_are_allowed_in_a_users_file()
    {
        SeedreamCatalog catalog = Over("""
            // my endpoints
            { "endpoints": [ { "id": "ep-1", "provider": "BytePlus", "model": "4.5" }, ], }
            """);
        Assert.Single(catalog.Endpoints);
    }

    [Fact]
    public void A_users_entry_changes_only_the_fields_it_gives()
    {
        SeedreamCatalog catalog = Over("""{ "models": [ { "family": "4.5", "providers": { "APIYI": { "price": { "perImage": 0.05 } } } } ] }""");
        SeedreamModel model = catalog.FindModel("4.5")!;
        Assert.Equal(0.05m, model.OfferOn(catalog.FindProvider("APIYI")!)!.Price.OneImage(null));
        Assert.Equal(0.04m, model.OfferOn(catalog.FindProvider("BytePlus")!)!.Price.OneImage(null));
        Assert.Equal(new[] { "seedream-4-5-251128" }, model.OfferOn(catalog.FindProvider("APIYI")!)!.Ids);
        Assert.Equal("user.json", model.Source);
        Assert.Equal(ModelCatalog.ShippedPath, catalog.FindModel("4.0")!.Source);
        Assert.Equal(0.04m, ModelCatalog.Shipped.FindModel("4.5")!.OfferOn(ModelCatalog.DefaultProvider)!.Price.OneImage(null));
    }

    [Fact]
    public void A_null_in_a_users_entry_removes_the_field()
    {
        SeedreamCatalog catalog = Over("""{ "models": [ { "family": "4.0", "providers": { "Volcengine": null } } ] }""");
        Assert.Null(catalog.FindModel("4.0")!.OfferOn(catalog.FindProvider("Volcengine")!));
        Assert.NotNull(catalog.FindModel("4.0")!.OfferOn(catalog.FindProvider("APIYI")!));
    }

    [Fact]
    public void A_new_model_based_on_another_takes_its_rules_but_not_its_names_or_providers()
    {
        SeedreamCatalog catalog = Over("""
            { "models": [ { "family": "9.0", "names": ["nine"], "basedOn": "4.5",
                            "providers": { "APIYI": { "ids": ["seedream-9-0-990101"], "maxReferences": 10, "price": { "perImage": 0.07 } } } } ] }
            """);
        SeedreamModel nine = catalog.FindModel("nine")!;
        Assert.Equal("9.0", nine.Family);
        Assert.Equal(new[] { "2K", "4K" }, nine.SizeTiers.Select(t => t.Name));
        Assert.Same(nine, catalog.FindModel("seedream-9-0-990101"));
        Assert.Single(nine.Offers);
        ModelChoice choice = catalog.Choose("SEEDREAM-9-0-990101", catalog.FindProvider("APIYI")!);
        Assert.Equal(ModelMatch.ProviderId, choice.Match);
        Assert.Equal("seedream-9-0-990101", choice.WireId);
        Assert.Same(nine, catalog.FindModel("9.0"));
    }

    [Fact]
    public void An_endpoint_id_maps_to_the_model_behind_it_on_its_provider_only()
    {
        SeedreamCatalog catalog = Over("""{ "endpoints": [ { "id": "ep-20261201090000-abcde", "provider": "BytePlus", "model": "4.0" } ] }""");
        ModelChoice onBytePlus = catalog.Choose("ep-20261201090000-abcde", catalog.FindProvider("BytePlus")!);
        Assert.Equal(ModelMatch.Endpoint, onBytePlus.Match);
        Assert.Equal("4.0", onBytePlus.Model!.Family);
        Assert.Equal("ep-20261201090000-abcde", onBytePlus.WireId);
        Assert.Equal(14, onBytePlus.Offer!.MaxReferenceImages);
        Assert.Equal(ModelMatch.Unknown, catalog.Choose("ep-20261201090000-abcde", catalog.FindProvider("APIYI")!).Match);
        Assert.Contains("ep-20261201090000-abcde", catalog.Suggest("ep-20261201090000-abcdf", catalog.FindProvider("BytePlus")!));
        Assert.Same(catalog.FindModel("4.0"), catalog.FindModel(" EP-20261201090000-ABCDE "));
        Assert.StartsWith("-Model 'ep-20261201090000-abcde' is an endpoint of 4.0 on BytePlus (from ", onBytePlus.Description);
        Assert.EndsWith("); its rules and prices apply.", onBytePlus.Description);
    }

    [Theory]
    [InlineData("flash", "-Model 'flash' is 5.0-flash; APIYI calls it seedream-5-0-flash-260915.")]
    [InlineData(" SEEDREAM-5-0-FLASH-260915 ", "-Model 'SEEDREAM-5-0-FLASH-260915' is 5.0-flash (seedream-5-0-flash-260915 on APIYI).")]
    [InlineData("dola-seedream-5-0-flash-260915", "-Model 'dola-seedream-5-0-flash-260915' is another provider's id of 5.0-flash; APIYI calls it seedream-5-0-flash-260915, which is sent.")]
    [InlineData("seedream-9-9", "-Model 'seedream-9-9' is not in the catalog; it is sent as is.")]
    public void A_choice_says_in_one_line_what_was_given_and_what_is_sent(string requested, string says)
    {
        SeedreamCatalog catalog = ModelCatalog.Shipped;
        Assert.Equal(says, catalog.Choose(requested, catalog.FindProvider("APIYI")!).Description);
    }

    [Fact]
    public void Suggestions_offer_the_short_names_as_well_as_the_ids()
    {
        SeedreamCatalog catalog = ModelCatalog.Shipped;
        Assert.Equal(new[] { "flash" }, catalog.Suggest("flsh", catalog.FindProvider("APIYI")!));
    }

    [Fact]
    public void Model_names_for_a_message_are_the_matching_models_in_catalog_order_or_none()
    {
        SeedreamCatalog catalog = ModelCatalog.Shipped;
        SeedreamProvider apiyi = catalog.FindProvider("APIYI")!;
        Assert.Equal("5.5, 4.5", catalog.NamesOn(apiyi, m => m.Family is "4.5" or "5.5"));
        Assert.Equal("none on APIYI", catalog.NamesOn(apiyi, _ => false));
    }

    private static SeedreamCatalog WithEndpoints(params string[] ids) =>
        Over("{ \"endpoints\": [" + string.Join(",", ids.Select(id => $"{{ \"id\": \"{id}\", \"provider\": \"BytePlus\", \"model\": \"4.5\" }}")) + "] }");

    [Fact]
    public void Suggestions_are_the_three_nearest_in_ordinal_order_whatever_the_case_or_catalog_order()
    {
        // Listed backwards: four ids one edit away, of which the first three in ordinal order are offered.
        SeedreamCatalog catalog = WithEndpoints("ep-aaaa-0004", "ep-aaaa-0003", "ep-aaaa-0002", "ep-aaaa-0001");
        ModelChoice choice = catalog.Choose("EP-AAAA-000X", catalog.FindProvider("BytePlus")!);
        Assert.Equal(ModelMatch.Unknown, choice.Match);
        Assert.Equal(new[] { "ep-aaaa-0001", "ep-aaaa-0002", "ep-aaaa-0003" }, choice.Suggestions);
    }

    [Fact]
    public void Suggestions_are_the_nearest_and_those_one_edit_further_only()
    {
        // One, two and three edits from the value (12 characters: three edits are within reach).
        SeedreamCatalog catalog = WithEndpoints("ep-cccc-1555", "ep-cccc-1255", "ep-cccc-1235");
        Assert.Equal(new[] { "ep-cccc-1235", "ep-cccc-1255" }, catalog.Suggest("ep-cccc-1234", catalog.FindProvider("BytePlus")!));

    }

    [Theory]
    [InlineData("ep-dddd-000000000000", "ep-dddd-000000011111", true)]   // 20 characters: five edits are within reach
    [InlineData("ep-dddd-000000000000", "ep-dddd-000000111111", false)]  // six are not
    [InlineData("ep-qz", "ep-qzzz", true)]                               // a short value: two edits always are
    [InlineData("ep-qz", "ep-qzzzz", false)]                             // three are not
    [InlineData("q", "ep-qzzz", false)]                                  // six edits from a one-letter value, however short it is
    public void Suggestions_reach_a_quarter_of_the_values_length_and_at_least_two_edits(string value, string id, bool offered)
    {
        SeedreamCatalog catalog = WithEndpoints(id);
        IReadOnlyList<string> suggestions = catalog.Suggest(value, catalog.FindProvider("BytePlus")!);
        Assert.Equal(offered ? new[] { id } : Array.Empty<string>(), suggestions);
    }

    [Theory]
    [InlineData("ep-kitten-01", "ep-sitting-01", true)]   // kitten -> sitting is three edits (a substitution at each end, an insertion)
    [InlineData("ep-kitten-01", "ep-sittin-01", true)]    // two
    [InlineData("ep-flaw-0001", "ep-lawn-0001", true)]    // flaw -> lawn is two (a deletion and an insertion), not four substitutions
    [InlineData("ep-abcd-0001", "ep-dcba-0001", false)]   // four substitutions are four edits: beyond the three this length reaches
    public void Suggestions_measure_the_edit_distance(string value, string id, bool offered)
    {
        SeedreamCatalog catalog = WithEndpoints(id);
        Assert.Equal(offered, catalog.Suggest(value, catalog.FindProvider("BytePlus")!).Contains(id));
    }

    [Theory]
    [InlineData("""{ "providers": [] }""", "the top level, field 'providers': a user catalog may add or change models and endpoints only")]
    [InlineData("""{ "models": [ { "names": ["x"] } ] }""", "models[0], field 'family': is required (a string).")]
    [InlineData("""{ "models": [ { "family": "9.0", "basedOn": "8.0" } ] }""", "model '9.0' (models[0]), field 'basedOn': '8.0' is not a model of the catalog")]
    [InlineData("""{ "models": [ { "family": "4.5", "basedOn": "4.0" } ] }""", "field 'basedOn': is for new models; '4.5' is already in the catalog")]
    [InlineData("""{ "models": [ { "family": "9.0", "basedOn": "4.5" } ] }""", "model '9.0' (models[0]), field 'providers': is required")]
    [InlineData("""{ "models": [ { "family": "9.0" } ] }""", "model '9.0' (models[0]), field 'sizes': is required")]
    [InlineData("""{ "models": [ { "family": "4.5", "sizes": { "minPixels": -1 } } ] }""", "model '4.5' (models[0]), field 'sizes.minPixels': must be at least 1; got -1.")]
    [InlineData("""{ "models": [ { "family": "4.5", "accepts": { "stream": "yes" } } ] }""", "model '4.5' (models[0]), field 'accepts.stream': must be true or false; got \"yes\".")]
    [InlineData("""{ "endpoints": [ { "id": "ep-1", "provider": "BytePlus", "model": "9.9" } ] }""", "endpoint 'ep-1' (endpoints[0]), field 'model': '9.9' is not a model of the catalog")]
    [InlineData("""{ "endpoints": [ { "id": "ep-1", "provider": "Nowhere", "model": "4.5" } ] }""", "endpoint 'ep-1' (endpoints[0]), field 'provider': 'Nowhere' is not a provider")]
    [InlineData("""{ "endpoints": [ { "id": "seedream-4-0-250828", "provider": "BytePlus", "model": "4.5" } ] }""", "field 'id': 'seedream-4-0-250828' already names a model")]
    [InlineData("""{ "endpoints": { "id": "ep-1" } }""", "the top level, field 'endpoints': must be an array")]
    public void A_broken_users_catalog_names_the_file_entry_and_field(string json, string says)
    {
        CatalogException error = Assert.Throws<CatalogException>(() => Over(json));
        Assert.StartsWith("Catalog file 'user.json', ", error.Message);
        Assert.True(error.Message.Contains(says, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_users_file_is_read_again_only_when_it_changes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"seedream-catalog-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """{ "endpoints": [ { "id": "ep-a", "provider": "BytePlus", "model": "4.5" } ] }""");
            SeedreamCatalog first = ModelCatalog.Load(path);
            Assert.Same(first, ModelCatalog.Load(path));
            File.WriteAllText(path, """{ "endpoints": [ { "id": "ep-bb", "provider": "BytePlus", "model": "4.0" } ] }""");
            SeedreamCatalog second = ModelCatalog.Load(path);
            Assert.NotSame(first, second);
            Assert.Equal("ep-bb", Assert.Single(second.Endpoints).Id);

            File.WriteAllText(path, "{ \"models\": 3 }");
            CatalogException error = Assert.Throws<CatalogException>(() => ModelCatalog.Load(path));
            Assert.Equal(Path.GetFullPath(path), error.File);
            Assert.Contains("field 'models': must be an array of model entries.", error.Message);
        }
        finally
        {
            File.Delete(path);
        }

        CatalogException missing = Assert.Throws<CatalogException>(() => ModelCatalog.Load(path));
        Assert.Contains("the file: does not exist.", missing.Message);
    }
}
