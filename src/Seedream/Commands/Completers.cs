using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
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
            var offered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach ((string value, string tooltip) in Suggestions(new CommandLine(commandAst, fakeBoundParameters)))
            {
                if (value.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && offered.Add(value))
                {
                    string text = value.IndexOfAny(new[] { ' ', '.' }) >= 0 ? $"'{value}'" : value;
                    yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, tooltip);
                }
            }
        }

        protected abstract IEnumerable<(string Value, string Tooltip)> Suggestions(CommandLine commandLine);

        /// <summary>The provider named on the command line, else the connected one, else the default.</summary>
        protected static SeedreamProvider ProviderOf(CommandLine commandLine, SeedreamCatalog catalog) =>
            catalog.FindProvider(commandLine.ArgumentOf("Provider"))
            ?? ConnectionDefaults.Current?.Provider
            ?? catalog.DefaultProvider;

        /// <summary>The catalog in effect (with the user's file); the module's own when that file is broken (completion never fails).</summary>
        protected static SeedreamCatalog CatalogInEffect()
        {
            try
            {
                return SeedreamConnection.CurrentCatalog();
            }
            catch (CatalogException)
            {
                return ModelCatalog.Shipped;
            }
        }
    }

    /// <summary>What is already on the command line being completed.</summary>
    public sealed class CommandLine
    {
        private readonly CommandAst? _command;
        private readonly IDictionary? _bound;

        public CommandLine(CommandAst? command, IDictionary? bound)
        {
            _command = command;
            _bound = bound;
        }

        /// <summary>The command being completed, as typed (its name or alias).</summary>
        public string? CommandName => _command?.GetCommandName();

        /// <summary>
        /// The text given for a parameter, as typed. The bound value alone is not enough: an unquoted 4.0 is bound
        /// as the number 4, so the text comes from the command's syntax tree when the bound value is not a string.
        /// </summary>
        public string? ArgumentOf(string parameterName)
        {
            object? bound = _bound != null && _bound.Contains(parameterName) ? _bound[parameterName] : null;
            if (bound is PSObject wrapped)
            {
                bound = wrapped.BaseObject;
            }

            if (bound is string text)
            {
                return text;
            }

            string? typed = TypedArgumentOf(parameterName);
            if (typed != null)
            {
                return typed;
            }

            return bound is null ? null : Convert.ToString(bound, CultureInfo.InvariantCulture);
        }

        private string? TypedArgumentOf(string parameterName)
        {
            if (_command is null)
            {
                return null;
            }

            ReadOnlyCollection<CommandElementAst> elements = _command.CommandElements;
            for (int i = 0; i < elements.Count; i++)
            {
                // PowerShell takes any unambiguous start of a parameter's name (-Mod for -Model).
                if (elements[i] is CommandParameterAst parameter && parameter.ParameterName.Length > 0 &&
                    parameterName.StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase))
                {
                    Ast? argument = parameter.Argument ??
                                    (i + 1 < elements.Count && !(elements[i + 1] is CommandParameterAst) ? elements[i + 1] : null);
                    return argument switch
                    {
                        null => null,
                        StringConstantExpressionAst constant => constant.Value,
                        _ => argument.Extent.Text.Trim('\'', '"'),
                    };
                }
            }

            return null;
        }
    }

    /// <summary>-Model: the ids the current provider uses (live models first, retired last), endpoint ids, then the short names.</summary>
    public sealed class ModelCompleter : CatalogCompleter
    {
        protected override IEnumerable<(string, string)> Suggestions(CommandLine commandLine)
        {
            SeedreamCatalog catalog = CatalogInEffect();
            SeedreamProvider provider = ProviderOf(commandLine, catalog);
            var models = catalog.ModelsOn(provider).OrderBy(m => m.OfferOn(provider)!.Status.State == ModelState.Retired).ToList();
            foreach (SeedreamModel model in models)
            {
                ModelOffer offer = model.OfferOn(provider)!;
                string state = offer.Status.State == ModelState.Live ? "" : $" ({offer.Status})";
                yield return (offer.Id, $"Seedream {model.Family} on {provider.Name}{state}: {offer.Price.ShortText}");
                foreach (string alias in offer.Aliases)
                {
                    yield return (alias, $"Alias of {offer.Id}");
                }
            }

            foreach (CatalogEndpoint endpoint in catalog.Endpoints.Where(e => e.Provider == provider))
            {
                yield return (endpoint.Id, $"Endpoint of {endpoint.Model.Family} on {provider.Name}");
            }

            foreach (SeedreamModel model in models)
            {
                foreach (string name in model.Names)
                {
                    yield return (name, $"Short name of {model.OfferOn(provider)!.Id}");
                }
            }
        }
    }

    /// <summary>-Size: the tiers and recommended WxH of the -Model already typed (or the provider's default model).</summary>
    public sealed class SizeCompleter : CatalogCompleter
    {
        protected override IEnumerable<(string, string)> Suggestions(CommandLine commandLine)
        {
            SeedreamCatalog catalog = CatalogInEffect();
            SeedreamProvider provider = ProviderOf(commandLine, catalog);
            string? typed = commandLine.ArgumentOf("Model");
            bool split = string.Equals(commandLine.CommandName, "Split-SeedreamImage", StringComparison.OrdinalIgnoreCase);
            SeedreamModel? model = string.IsNullOrWhiteSpace(typed) ? (split ? null : catalog.Default(provider).Model) : catalog.Choose(typed!, provider).Model;
            IEnumerable<SeedreamModel> models = model is null ? catalog.ModelsOn(provider).Where(m => !split || m.LayerDecomposition != null).ToList() : new[] { model };
            foreach (SeedreamModel m in models)
            {
                foreach (SizeTier tier in m.SizeTiers)
                {
                    yield return (tier.Name, $"{tier.Name} tier ({tier.Width}x{tier.Height})");
                }
            }

            // A decomposition also takes its own sizes (auto: follow the input image).
            if (split)
            {
                foreach (string extra in models.Where(m => m.LayerDecomposition != null).SelectMany(m => m.LayerDecomposition!.ExtraSizes).Distinct())
                {
                    yield return (extra, extra == "auto" ? "auto: follow the input image (the default)" : extra);
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
        protected override IEnumerable<(string, string)> Suggestions(CommandLine commandLine) =>
            CatalogInEffect().Providers.Select(p => (p.Name, $"{p.Name}: {p.BaseUri}"));
    }

    /// <summary>
    /// Save-SeedreamResult -NameTemplate: the template tokens. After an open brace it completes the token being typed
    /// (scene-{in -> scene-{index}); otherwise it offers what was typed followed by each token. Suggests, never rejects.
    /// </summary>
    public sealed class NameTemplateCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            int open = typed.LastIndexOf('{');
            bool inToken = open >= 0 && typed.IndexOf('}', open) < 0;
            string prefix = inToken ? typed.Substring(0, open) : typed;
            string fragment = inToken ? typed.Substring(open) : "";
            if (typed.Length == 0)
            {
                yield return Result(SaveSeedreamResultCommand.DefaultNameTemplate, "The default template");
            }

            foreach (KeyValuePair<string, string> token in FileNames.Tokens)
            {
                if (token.Key.StartsWith(fragment, StringComparison.OrdinalIgnoreCase))
                {
                    yield return Result(prefix + token.Key, token.Value);
                }
            }
        }

        private static CompletionResult Result(string value, string tooltip) =>
            new CompletionResult("'" + value.Replace("'", "''") + "'", value, CompletionResultType.ParameterValue, tooltip);
    }
}
