using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedream.Api;
using Seedream.Catalog;
using Seedream.Imaging;
using Xunit;

namespace Seedream.DesktopTests
{
    /// <summary>The catalog, the request rules and the image readers on the desktop runtime, under a non-English culture.</summary>
    public sealed class CatalogAndImagingTests : IClassFixture<FakeApi>
    {
        private readonly FakeApi _fake;

        public CatalogAndImagingTests(FakeApi fake)
        {
            _fake = fake;
            _fake.Reset();
        }

        [Fact]
        public void EveryModel_IsFoundByItsIdAndFamily_AndChecksItsOwnSizes()
        {
            // The catalog is catalog.json beside the module's Seedream.dll, read here by System.Text.Json on this runtime.
            SeedreamCatalog catalog = ModelCatalog.Shipped;
            Assert.Equal(Path.Combine(ModuleFolder.Path, "catalog.json"), catalog.Files[0]);
            Assert.NotEmpty(catalog.Models);
            foreach (SeedreamModel model in catalog.Models)
            {
                ModelOffer offer = model.Offers[0];
                Assert.Same(model, catalog.FindModel(offer.Id));
                Assert.Same(model, catalog.FindModel(model.Family));
                var tooSmall = new RequestShape { Prompt = "p", Model = model, ModelId = offer.Id, Provider = offer.Provider, Size = "64x64" };
                Assert.Contains(RequestRules.Check(tooSmall), v => v.Field == RequestField.Size);
            }
        }

        [Fact]
        public void A_users_catalog_is_read_and_its_errors_name_the_field_under_a_non_English_culture()
        {
            CultureInfo before = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                SeedreamCatalog catalog = ModelCatalog.Parse(
                    "{ \"models\": [ { \"family\": \"4.0\", \"providers\": { \"APIYI\": { \"price\": { \"perImage\": 0.025 } } } } ] }", "user.json", ModelCatalog.Shipped);
                PriceRule price = catalog.FindModel("4.0")!.OfferOn(catalog.FindProvider("APIYI")!)!.Price;
                Assert.Equal(0.025m, price.OneImage(null));
                Assert.Equal("$0.025", price.ShortText);
                CatalogException error = Assert.Throws<CatalogException>(() => ModelCatalog.Parse(
                    "{ \"models\": [ { \"family\": \"4.5\", \"sizes\": { \"minPixels\": \"lots\" } } ] }", "user.json", ModelCatalog.Shipped));
                Assert.Equal("Catalog file 'user.json', model '4.5' (models[0]), field 'sizes.minPixels': must be a whole number; got \"lots\".", error.Message);
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }

        [Fact]
        public void Rules_ReadNumbersTheSameWayInAnyCulture()
        {
            CultureInfo before = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                Assert.Equal((2048, 1536), RequestRules.ParseDimensions("2048x1536"));
                var shape = new RequestShape { Prompt = "p", MaxImages = 16 };
                RuleViolation violation = Assert.Single(RequestRules.Check(shape), v => v.Field == RequestField.MaxImages);
                Assert.Contains("15", violation.Message);
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }

        [Fact]
        public async Task A_LayerDecomposition_ReadsItsLayersAndTheirAlpha()
        {
            // A data URI of a 1024x768 PNG (its header is enough for the fake's checks); size auto follows it.
            byte[] png = new byte[33];
            new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 4, 0, 0, 0, 3, 0, 8, 2 }.CopyTo(png, 0);
            var client = new SeedreamClient(ClientTests.Http, new ClientOptions { BaseUri = _fake.ApiV1, ApiKey = FakeApi.Key });
            var request = new GenerationRequest
            {
                Model = "seedream-5-0-flash-260915",
                Prompt = "",
                Images = new[] { "data:image/png;base64," + Convert.ToBase64String(png) },
                Size = "auto",
                ResponseFormat = ResponseFormats.Base64Json,
                LayerDecomposition = true,
                SequenceField = false,
            };
            GenerationResult result = await client.GenerateAsync(request, null, CancellationToken.None);

            Assert.True(result.Images.Count >= 2);
            Assert.Equal(Enumerable.Range(0, result.Images.Count).Select(i => (int?)i), result.Images.Select(i => i.ZIndex).OrderBy(z => z));
            Assert.True(ImageHeaderReader.TryRead(result.Images[0].Bytes!, out ImageHeader baseHeader, out _));
            Assert.Equal((1024, 768), (baseHeader.Width, baseHeader.Height));
            foreach (GeneratedImage layer in result.Images.Skip(1))
            {
                int[] box = layer.BoundingBox!;
                Assert.Equal(4, layer.NormalizedBoundingBox!.Length);
                Assert.True(ImageHeaderReader.TryRead(layer.Bytes!, out ImageHeader header, out _));
                Assert.Equal((box[2] - box[0], box[3] - box[1]), (header.Width, header.Height));
                Assert.True(ImageHeaderReader.PngHasAlpha(layer.Bytes!));
                Assert.False(string.IsNullOrEmpty(layer.LayerName));
            }
        }

        [Fact]
        public async Task TheFakesImages_ReadAsWhatTheySay()
        {
            var client = new SeedreamClient(ClientTests.Http, new ClientOptions { BaseUri = _fake.ApiV1, ApiKey = FakeApi.Key });
            GenerationRequest request = ClientTests.Request(format: ResponseFormats.Base64Json);
            request.Size = "1280x960";
            GenerationResult result = await client.GenerateAsync(request, null, CancellationToken.None);
            byte[] bytes = result.Images[0].Bytes!;

            Assert.True(ImageHeaderReader.TryRead(bytes, out ImageHeader header, out string? error), error);
            Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 1280, 960), header);
            Assert.True(ImageHeaderReader.TryRead(new MemoryStream(bytes), out ImageHeader fromStream, out _));
            Assert.Equal(header, fromStream);

            string path = Path.Combine(Path.GetTempPath(), "seedream-desktop-" + Guid.NewGuid().ToString("N") + ".jpg");
            File.WriteAllBytes(path, bytes);
            try
            {
                ReferenceImage reference = ReferenceImage.FromFile(path);
                Assert.StartsWith("data:image/jpeg;base64,", reference.WireValue);
                Assert.Equal(bytes, Convert.FromBase64String(reference.WireValue.Substring("data:image/jpeg;base64,".Length)));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
