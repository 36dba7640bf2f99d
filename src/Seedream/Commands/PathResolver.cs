using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Seedream.Api;

namespace Seedream.Commands
{
    /// <summary>
    /// The one place where a cmdlet turns the paths a user typed into file-system paths. Paths go through PowerShell's
    /// providers, as in the FileSystem cmdlets: relative to the PowerShell location (never the process's working folder),
    /// PSDrives (New-PSDrive, Temp:) and provider-qualified paths included. -Path expands wildcards; -LiteralPath takes
    /// every character as typed, so <c>[1].png</c> names that file. Only the FileSystem provider is accepted: a path on
    /// Env:, Variable: or any other provider is refused with an error naming the parameter.
    /// Every method runs on the pipeline thread (it reads the session state) and throws
    /// <see cref="SeedreamValidationException"/> with "Parameter -Name: ..." messages; the caller chooses the error id,
    /// and whether one bad path stops the command or is a non-terminating error for that item.
    /// </summary>
    internal static class PathResolver
    {
        private const string FileSystemProvider = "FileSystem";

        /// <summary>
        /// The existing files one path names. With wildcards (<paramref name="literal"/> false) a pattern may name several,
        /// in the provider's order (by name); folders it matches are skipped, and a pattern that matches no file is an
        /// error. A literal path must name an existing file: a folder or a missing file is an error.
        /// </summary>
        public static IReadOnlyList<string> ResolveFiles(PSCmdlet cmdlet, string path, bool literal, string parameterName)
        {
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                string file = ResolveLiteral(cmdlet, literal ? path : WildcardPattern.Unescape(path), parameterName);
                if (Directory.Exists(file))
                {
                    throw Refuse(parameterName, $"'{Shown(path)}' is a folder, not a file; name the files in it, for example -Path '{Path.Combine(Shown(path), "*.png")}'.");
                }

                if (!File.Exists(file))
                {
                    throw Refuse(parameterName, $"the file '{Shown(path)}' does not exist{WildcardHint(cmdlet, path, literal)}.");
                }

                return new[] { file };
            }

            IReadOnlyList<string> matches = ResolvePattern(cmdlet, path, parameterName);
            var files = matches.Where(File.Exists).ToList();
            if (files.Count == 0)
            {
                throw Refuse(parameterName, matches.Count == 0
                    ? $"'{path}' matches no file."
                    : $"'{path}' matches only folders ({Describe(matches)}), no file.");
            }

            return files;
        }

        /// <summary>
        /// The existing files and folders one path names (for cmdlets that take a folder as "the images in it"). With
        /// wildcards a pattern may name several, in the provider's order; a path or pattern that names nothing is an error.
        /// </summary>
        public static IReadOnlyList<string> ResolveExisting(PSCmdlet cmdlet, string path, bool literal, string parameterName)
        {
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                string item = ResolveLiteral(cmdlet, literal ? path : WildcardPattern.Unescape(path), parameterName);
                if (!File.Exists(item) && !Directory.Exists(item))
                {
                    throw Refuse(parameterName, $"'{Shown(path)}' does not exist{WildcardHint(cmdlet, path, literal)}.");
                }

                return new[] { item };
            }

            IReadOnlyList<string> matches = ResolvePattern(cmdlet, path, parameterName);
            if (matches.Count == 0)
            {
                throw Refuse(parameterName, $"'{path}' matches nothing.");
            }

            return matches;
        }

        /// <summary>
        /// The folder an output parameter names (it need not exist yet; the caller creates it). Null or empty means the
        /// current location, which must be on the file system. A path with wildcards must match exactly one existing
        /// folder and means that folder (as Set-Location does); a wildcard is never taken as part of a new folder's name.
        /// Escape wildcard characters with a backtick (or use -LiteralPath) for a folder whose name holds them.
        /// </summary>
        public static string ResolveFolder(PSCmdlet cmdlet, string? path, bool literal, string parameterName)
        {
            string folder;
            if (string.IsNullOrEmpty(path))
            {
                PathInfo location = cmdlet.SessionState.Path.CurrentLocation;
                if (location.Provider.Name != FileSystemProvider)
                {
                    throw Refuse(parameterName, $"the current location '{location.Path}' is on the {location.Provider.Name} provider, not the file system; " +
                                                "give a folder with -Path, or Set-Location to a folder first.");
                }

                folder = location.ProviderPath;
            }
            else if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
            {
                IReadOnlyList<string> matches = ResolvePattern(cmdlet, path!, parameterName);
                var folders = matches.Where(Directory.Exists).ToList();
                if (folders.Count != 1)
                {
                    string found = matches.Count == 0 ? "matches nothing" : $"matches {folders.Count} folder(s) ({Describe(matches)})";
                    throw Refuse(parameterName, $"'{path}' holds wildcard characters and {found}; a wildcard must name exactly one existing folder. " +
                                                "To create a folder with such a name, escape the characters with ` or use -LiteralPath.");
                }

                folder = folders[0];
            }
            else
            {
                folder = ResolveLiteral(cmdlet, literal ? path! : WildcardPattern.Unescape(path!), parameterName);
            }

            if (File.Exists(folder))
            {
                throw Refuse(parameterName, $"'{path}' is a file; give a folder to save into.");
            }

            return folder;
        }

        /// <summary>
        /// The file as Get-Item returns it: a FileInfo with PSPath, PSParentPath, PSChildName, PSDrive, PSProvider and
        /// PSIsContainer, so the default file view (its Directory: header, Mode and UnixMode columns) applies.
        /// </summary>
        public static PSObject GetItem(PSCmdlet cmdlet, string providerPath)
        {
            try
            {
                Collection<PSObject> items = cmdlet.InvokeProvider.Item.Get(new[] { providerPath }, false, true);
                if (items.Count == 1)
                {
                    return items[0];
                }
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is IOException || ex is UnauthorizedAccessException)
            {
                // Removed or locked since it was written: the plain FileInfo is still the truth about what was saved.
            }

            return PSObject.AsPSObject(new FileInfo(providerPath));
        }

        /// <summary>True when <paramref name="text"/> starts with the name of a PSDrive of this session or a provider qualifier.</summary>
        public static bool IsProviderPath(PSCmdlet cmdlet, string text)
        {
            if (text.IndexOf("::", StringComparison.Ordinal) > 0)
            {
                return true;
            }

            int colon = text.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            string drive = text.Substring(0, colon);
            return cmdlet.SessionState.Drive.GetAll().Any(d => string.Equals(d.Name, drive, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// A file an output parameter names, taken literally (it need not exist yet; its folder is created when it is
        /// written). Refuses a folder and other providers.
        /// </summary>
        public static string ResolveOutputFile(PSCmdlet cmdlet, string path, string parameterName)
        {
            string file = ResolveOutput(cmdlet, path, parameterName);
            if (Directory.Exists(file))
            {
                throw Refuse(parameterName, $"'{path}' is a folder; give the path of a file.");
            }

            return file;
        }

        /// <summary>
        /// The file or folder an output parameter names, taken literally (it need not exist yet). Refuses an empty value
        /// and other providers; the caller decides what a folder means.
        /// </summary>
        public static string ResolveOutput(PSCmdlet cmdlet, string path, string parameterName)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw Refuse(parameterName, "must not be empty; give the path of a file.");
            }

            return ResolveLiteral(cmdlet, path, parameterName);
        }

        private static string ResolveLiteral(PSCmdlet cmdlet, string path, string parameterName)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw Refuse(parameterName, $"'{path}' is not a path PowerShell can resolve ({ex.Message.TrimEnd('.')}).");
            }

            CheckFileSystem(provider, path, parameterName);
            return resolved;
        }

        private static IReadOnlyList<string> ResolvePattern(PSCmdlet cmdlet, string path, string parameterName)
        {
            try
            {
                Collection<string> matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                CheckFileSystem(provider, path, parameterName);
                return matches;
            }
            catch (ItemNotFoundException)
            {
                return Array.Empty<string>();
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw Refuse(parameterName, $"'{path}' is not a path PowerShell can resolve ({ex.Message.TrimEnd('.')}).");
            }
        }

        private static void CheckFileSystem(ProviderInfo provider, string path, string parameterName)
        {
            if (provider.Name != FileSystemProvider)
            {
                throw Refuse(parameterName, $"'{path}' is on the {provider.Name} provider, not the file system; give a file-system path.");
            }
        }

        /// <summary>For a literal path that names nothing but would match as a wildcard: say which parameter expands it.</summary>
        private static string WildcardHint(PSCmdlet cmdlet, string path, bool literal)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                return "";
            }

            if (!literal)
            {
                return "";
            }

            try
            {
                return cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).Count > 0
                    ? " (it is taken literally; to expand it as a wildcard use -Path)"
                    : "";
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                return "";
            }
        }

        /// <summary>
        /// A path as messages show it: as typed, but one that came as a provider-qualified PSPath (from Get-ChildItem
        /// output) by its file name only, so messages name the file rather than the machine's folders.
        /// </summary>
        private static string Shown(string path)
        {
            int qualifier = path.IndexOf("::", StringComparison.Ordinal);
            return qualifier < 0 ? path : Path.GetFileName(path.Substring(qualifier + 2).TrimEnd('/', '\\'));
        }

        private static string Describe(IReadOnlyList<string> paths)
        {
            IEnumerable<string> names = paths.Take(3).Select(p => Path.GetFileName(p.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)));
            return string.Join(", ", names) + (paths.Count > 3 ? $" and {paths.Count - 3} more" : "");
        }

        private static SeedreamValidationException Refuse(string parameterName, string rule) =>
            new SeedreamValidationException(parameterName, $"Parameter -{parameterName}: {rule}");
    }
}
