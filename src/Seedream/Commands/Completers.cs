using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Seedream.Catalog;

namespace Seedream.Commands
{
    /// <summary>Shared shape of the completers: suggest values that start with what was typed; never reject anything.</summary>
    public abstract class CatalogCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            foreach ((string value, string tooltip) in Suggestions(fakeBoundParameters).Distinct())
            {
                if (value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                {
                    string text = value.IndexOfAny(new[] { ' ', '.' }) >= 0 ? $"'{value}'" : value;
                    yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, tooltip);
                }
            }
        }

        protected abstract IEnumerable<(string Value, string Tooltip)> Suggestions(IDictionary boundParameters);

        protected static SeedreamProvider ProviderOf(IDictionary boundParameters) =>
            ModelCatalog.FindProvider(boundParameters["Provider"] as string)
            ?? ConnectionDefaults.Current?.Provider
            ?? ModelCatalog.DefaultProvider;
    }

    /// <summary>-Model: the catalog's ids as the current provider names them, then the short family names.</summary>
    public sealed class ModelCompleter : CatalogCompleter
    {
        protected override IEnumerable<(string, string)> Suggestions(IDictionary boundParameters)
        {
            SeedreamProvider provider = ProviderOf(boundParameters);
            foreach (SeedreamModel model in ModelCatalog.Models)
            {
                yield return (provider.ModelIdFor(model), $"Seedream {model.Family} on {provider.Name}, ${model.PricePerImage} per image");
                foreach (string alias in model.Aliases)
                {
                    yield return (provider.ModelIdPrefix + alias, $"Alias of {model.Id}");
                }
            }

            foreach (SeedreamModel model in ModelCatalog.Models)
            {
                yield return (model.Family, $"Short name of {provider.ModelIdFor(model)}");
            }
        }
    }

    /// <summary>-Size: the tiers and recommended WxH of the -Model already typed (or the default model).</summary>
    public sealed class SizeCompleter : CatalogCompleter
    {
        protected override IEnumerable<(string, string)> Suggestions(IDictionary boundParameters)
        {
            SeedreamModel? model = ModelCatalog.FindModel(boundParameters["Model"] as string ?? ModelCatalog.DefaultModelFamily);
            IEnumerable<SeedreamModel> models = model is null ? ModelCatalog.Models : new[] { model };
            foreach (SeedreamModel m in models)
            {
                foreach (SizeTier tier in m.SizeTiers)
                {
                    yield return (tier.Name, $"{tier.Name} tier ({tier.Width}x{tier.Height})");
                }
            }

            foreach (SeedreamModel m in models)
            {
                foreach (string size in m.RecommendedSizes)
                {
                    yield return (size, $"{size}, recommended for {m.Family}");
                }
            }
        }
    }

    /// <summary>-Provider: the catalog's providers.</summary>
    public sealed class ProviderCompleter : CatalogCompleter
    {
        protected override IEnumerable<(string, string)> Suggestions(IDictionary boundParameters) =>
            ModelCatalog.Providers.Select(p => (p.Name, $"{p.Name}: {p.BaseUri}"));
    }
}
