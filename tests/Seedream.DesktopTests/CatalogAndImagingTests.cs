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
            Assert.NotEmpty(ModelCatalog.Models);
            foreach (SeedreamModel model in ModelCatalog.Models)
            {
                Assert.Same(model, ModelCatalog.FindModel(model.Id));
                Assert.Same(model, ModelCatalog.FindModel(model.Family));
                var tooSmall = new RequestShape { Prompt = "p", Model = model, ModelId = model.Id, Size = "64x64" };
                Assert.Contains(RequestRules.Check(tooSmall), v => v.Field == RequestField.Size);
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
