using System;
using System.Linq;
using System.Management.Automation;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>Get-SeedreamModel: the model catalog, as the chosen provider names the models.</summary>
    [Cmdlet(VerbsCommon.Get, "SeedreamModel")]
    [OutputType(typeof(SeedreamModelInfo))]
    public sealed class GetSeedreamModelCommand : PSCmdlet
    {
        /// <summary>Family names or ids; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string[]? Name { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(ProviderCompleter))]
        public string? Provider { get; set; }

        protected override void ProcessRecord()
        {
            SeedreamProvider? provider = string.IsNullOrEmpty(Provider)
                ? ConnectionDefaults.Current?.Provider ?? ModelCatalog.DefaultProvider
                : ModelCatalog.FindProvider(Provider);
            if (provider is null)
            {
                ThrowTerminatingError(SeedreamErrors.InvalidParameterRecord(nameof(Provider),
                    $"'{Provider}' is not a known provider; use one of {string.Join(", ", ModelCatalog.Providers)}.", Provider));
                return;
            }

            foreach (string pattern in Name ?? new[] { "*" })
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                var matches = ModelCatalog.Models
                    .Where(m => wildcard.IsMatch(m.Family) || m.AllIds.Any(id => wildcard.IsMatch(id) || wildcard.IsMatch(provider.ModelIdPrefix + id)))
                    .ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No model '{pattern}' in the catalog. Known: {string.Join(", ", ModelCatalog.Models.Select(m => m.Family))}."),
                        "Seedream.ModelNotInCatalog", ErrorCategory.ObjectNotFound, pattern));
                }

                foreach (SeedreamModel model in matches)
                {
                    WriteObject(new SeedreamModelInfo(model, provider));
                }
            }
        }
    }

    /// <summary>A catalog model as one provider offers it.</summary>
    public sealed class SeedreamModelInfo
    {
        internal SeedreamModelInfo(SeedreamModel model, SeedreamProvider provider)
        {
            Family = model.Family;
            Id = provider.ModelIdFor(model);
            Aliases = model.Aliases.Select(a => provider.ModelIdPrefix + a).ToArray();
            Provider = provider.Name;
            SizeTiers = model.SizeTiers.Select(t => t.Name).ToArray();
            MinPixels = model.MinPixels;
            MaxPixels = model.MaxPixels;
            MinAspectRatio = model.MinAspectRatio;
            MaxAspectRatio = model.MaxAspectRatio;
            OutputFormats = model.OutputFormats.ToArray();
            PromptOptimizationModes = model.PromptOptimizationModes.ToArray();
            SupportsStreaming = model.SupportsStreaming;
            SupportsSequence = model.SupportsSequence;
            MaxReferenceImages = provider.MaxReferenceImages;
            MaxImagesPerRequest = ModelCatalog.MaxImagesPerRequest;
            PricePerImage = model.PricePerImage;
            RecommendedSizes = model.RecommendedSizes.ToArray();
        }

        public string Family { get; }
        public string Id { get; }
        public string[] Aliases { get; }
        public string Provider { get; }
        public string[] SizeTiers { get; }
        public long MinPixels { get; }
        public long MaxPixels { get; }
        public double MinAspectRatio { get; }
        public double MaxAspectRatio { get; }
        public string[] OutputFormats { get; }
        public string[] PromptOptimizationModes { get; }
        public bool SupportsStreaming { get; }
        public bool SupportsSequence { get; }
        public int MaxReferenceImages { get; }
        public int MaxImagesPerRequest { get; }

        /// <summary>US dollars per generated image (public list price).</summary>
        public decimal PricePerImage { get; }

        public string[] RecommendedSizes { get; }
        public override string ToString() => Id;
    }
}
