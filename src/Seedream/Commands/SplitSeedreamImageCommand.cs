using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Seedream.Catalog;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// Split-SeedreamImage: layer decomposition. Each input image is its own request (layer_decomposition: true with that
    /// one image), answered by the base image (ZIndex 0) and its transparent PNG layers, written in stacking order with
    /// their box, name and description and a LayerSetId shared by the layers of one answer. Input as for
    /// Edit-SeedreamImage (<see cref="ImageInputReader"/>); the rest (model, checks, -WhatIf, the request) is
    /// <see cref="GenerationCmdlet"/>'s.
    /// </summary>
    [Cmdlet(VerbsCommon.Split, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ImageSet)]
    [OutputType(typeof(SeedreamImage))]
    public sealed class SplitSeedreamImageCommand : GenerationCmdlet
    {
        private const string ImageSet = ImageInputReader.ImageSet;
        private const string PathSet = ImageInputReader.PathSet;
        private const string LiteralPathSet = ImageInputReader.LiteralPathSet;

        /// <summary>The image to take apart: a URL, a data URI, a file path (literal), a FileInfo or an earlier result. Several values are several requests.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        [Alias("Url")]
        [SeedreamImageInputTransformation]
        public SeedreamImageInput[] Image { get; set; } = Array.Empty<SeedreamImageInput>();

        /// <summary>Image files; wildcards expand through the provider (PSDrives included). Each file is its own request.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Image files taken exactly as typed; binds PSPath from Get-ChildItem and Get-Item output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Optional: what to separate (empty lets the model decide).</summary>
        [Parameter(Position = 1)]
        [AllowEmptyString]
        public string Prompt { get; set; } = "";

        /// <summary>The most layers written: 1 to the model's cap. The model still decides how many it makes, and bills each.</summary>
        [Parameter]
        [Alias("MaxLayer")]
        public int MaxLayers { get; set; }

        protected override string ImageParameterName => ParameterSetName;

        protected override bool LayerDecomposition => true;

        protected override int? LayerLimit => MyInvocation.BoundParameters.ContainsKey(nameof(MaxLayers)) ? MaxLayers : (int?)null;

        protected override string? UnboundSize => "auto";

        protected override string DescribeTarget(string prompt, IReadOnlyList<ReferenceImage> images) =>
            string.Join(", ", images.Select(i => i.Description)) + (string.IsNullOrWhiteSpace(prompt) ? "" : $" ({Describe(prompt)})");

        /// <summary>This item's image came from the pipeline (one request per piped file, URL or result): a bad one is that item's error.</summary>
        protected override bool ImagesPerItem => ParameterSetName != PathSet && PerItem(ParameterSetName);

        /// <summary>A piped result or file describes itself (a result's Model, Size, OutputFormat): those are not taken as the decomposition's.</summary>
        protected override bool IgnoresPipedValues =>
            (ParameterSetName == ImageSet && PerItem(nameof(Image)) && Image.Length == 1 &&
             (Image[0]?.Value is SeedreamImage || Image[0]?.Value is System.IO.FileSystemInfo || Image[0]?.Value is SeedreamImageInfo)) ||
            (ParameterSetName == LiteralPathSet && PerItem(nameof(LiteralPath)));

        protected override void ProcessRecord()
        {
            List<ReferenceImage> images;
            object? target;
            try
            {
                (images, target) = new ImageInputReader(this).Read(ParameterSetName, Image, Path, LiteralPath);
            }
            catch (ImageInputReader.RefusedInput refused)
            {
                if (ImagesPerItem)
                {
                    WriteItemError(refused.Record);
                    return;
                }

                StopWithError(refused.Record);
                return;
            }

            foreach (ReferenceImage image in images)
            {
                // One request per image: a decomposition takes exactly one.
                Submit(Prompt, new[] { image }, images.Count == 1 ? target : image.Description);
            }
        }

        /// <summary>
        /// Without -Model: the live model on the provider that can decompose and costs least at the most a request can cost
        /// (its layer cap, every layer billed as an image, at -Size's price or the highest), from the catalog's prices.
        /// </summary>
        protected override (ModelChoice Choice, string Reason)? DefaultModel(SeedreamCatalog catalog)
        {
            string? size = MyInvocation.BoundParameters.ContainsKey(nameof(Size)) ? Size : null;
            var ranked = catalog.ModelsOn(ProviderInfo)
                .Where(m => m.LayerDecomposition != null && m.OfferOn(ProviderInfo)!.Status.State == ModelState.Live)
                .Select(m => (Model: m, Cost: MostCost(m, size)))
                .OrderBy(c => c.Cost)
                .ToList();
            if (ranked.Count == 0)
            {
                return null;
            }

            SeedreamModel cheapest = ranked[0].Model;
            ModelChoice choice = catalog.Choose(cheapest.Family, ProviderInfo);
            string others = ranked.Count == 1 ? "" : $"; {string.Join(", ", ranked.Skip(1).Select(c => $"{c.Model.Family} {PriceRule.Money(c.Cost)}"))}";
            return (choice, $"No -Model: {cheapest.Family} is the cheapest live model on {ProviderInfo.Name} that splits an image into layers " +
                            $"(at most {PriceRule.Money(ranked[0].Cost)} for the base and up to {cheapest.LayerDecomposition!.MaxLayers.ToString(CultureInfo.InvariantCulture)} layers at list price{others}); " +
                            $"sent as {choice.WireId}.");
        }

        private decimal MostCost(SeedreamModel model, string? size)
        {
            long? pixels = size is null || string.Equals(size.Trim(), "auto", StringComparison.OrdinalIgnoreCase) ? null : RequestRules.PixelsOf(RequestRules.CanonicalSize(size, model), model);
            return model.OfferOn(ProviderInfo)!.Price.Estimate(1 + model.LayerDecomposition!.MaxLayers, pixels, 1);
        }
    }
}
