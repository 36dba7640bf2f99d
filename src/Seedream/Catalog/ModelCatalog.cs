using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace Seedream.Catalog
{
    /// <summary>
    /// Loads the model catalog: the data file shipped beside the module (catalog.json, read once on first use, never at
    /// import), and optionally a user's catalog on top (read again only when the file changes). Every per-model fact the
    /// module uses comes from these files; see CONTRIBUTING.md for the format.
    /// </summary>
    public static class ModelCatalog
    {
        /// <summary>The shipped file's name, beside Seedream.dll.</summary>
        public const string FileName = "catalog.json";

        /// <summary>The environment variable that names a user's catalog file.</summary>
        public const string UserCatalogVariable = "SEEDREAM_CATALOG";

        private static readonly ConcurrentDictionary<string, UserCatalog> UserCatalogs = new ConcurrentDictionary<string, UserCatalog>(StringComparer.Ordinal);
        private static Lazy<SeedreamCatalog> _shipped = new Lazy<SeedreamCatalog>(() => ReadShipped(ShippedPath), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>Where the shipped catalog is read from: catalog.json beside the module's assembly.</summary>
        public static string ShippedPath =>
            Path.Combine(Path.GetDirectoryName(typeof(ModelCatalog).Assembly.Location) ?? AppContext.BaseDirectory, FileName);

        /// <summary>The shipped catalog (read on first use). A broken file throws <see cref="CatalogException"/> each time it is asked for.</summary>
        public static SeedreamCatalog Shipped
        {
            get
            {
                try
                {
                    return _shipped.Value;
                }
                catch (CatalogException)
                {
                    // Lazy caches the exception; a fixed file is read again on the next call.
                    _shipped = new Lazy<SeedreamCatalog>(() => ReadShipped(ShippedPath), LazyThreadSafetyMode.ExecutionAndPublication);
                    throw;
                }
            }
        }

        /// <summary>
        /// The shipped catalog with the user's file at <paramref name="userCatalogPath"/> laid over it; the shipped one
        /// alone when the path is null or empty. Cached per file until its size or time stamp changes.
        /// </summary>
        public static SeedreamCatalog Load(string? userCatalogPath)
        {
            SeedreamCatalog shipped = Shipped;
            if (string.IsNullOrWhiteSpace(userCatalogPath))
            {
                return shipped;
            }

            string path = Path.GetFullPath(userCatalogPath!.Trim());
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new CatalogException(path, "the file", "", Directory.Exists(path) ? "is a folder; name the catalog's .json file." : "does not exist.");
            }

            if (UserCatalogs.TryGetValue(path, out UserCatalog? cached) && cached.Matches(file, shipped))
            {
                return cached.Catalog;
            }

            SeedreamCatalog catalog = CatalogReader.ReadOverlay(shipped, path, CatalogReader.Parse(path, ReadText(path)));
            UserCatalogs[path] = new UserCatalog(file.Length, file.LastWriteTimeUtc, shipped, catalog);
            return catalog;
        }

        /// <summary>Reads catalog JSON from text (for tests and tools): shipped-catalog form, or a user's form over <paramref name="under"/>.</summary>
        public static SeedreamCatalog Parse(string json, string fileName, SeedreamCatalog? under = null) =>
            under is null
                ? CatalogReader.ReadShipped(fileName, CatalogReader.Parse(fileName, json))
                : CatalogReader.ReadOverlay(under, fileName, CatalogReader.Parse(fileName, json));

        // Shortcuts to the shipped catalog, for code that needs only the providers or the common limits.

        public static IReadOnlyList<SeedreamProvider> Providers => Shipped.Providers;

        public static SeedreamProvider DefaultProvider => Shipped.DefaultProvider;

        public static SeedreamProvider? FindProvider(string? name) => Shipped.FindProvider(name);

        /// <summary>The shipped catalog's model for a name or any provider's id (views use it to show a short name).</summary>
        public static SeedreamModel? FindModel(string? nameOrId) => Shipped.FindModel(nameOrId);

        public static int MaxImagesPerRequest => Shipped.Limits.MaxImagesPerRequest;

        public static int MaxReferencesPlusOutputs => Shipped.Limits.MaxReferencesPlusOutputs;

        public static int MaxAspectRatio => Shipped.Limits.MaxAspectRatio;

        public static TimeSpan UrlLifetime => Shipped.Limits.UrlLifetime;

        /// <summary>The formats every model takes as reference images (a model may take more: see its ReferenceImages).</summary>
        public static IReadOnlyList<string> ReferenceImageFormats => Shipped.Limits.ReferenceImages.Formats;

        /// <summary>
        /// The largest reference image any shipped model takes: the bound for reading an image at all. Each model's own
        /// limit is checked with the request (<see cref="RequestRules"/>).
        /// </summary>
        public static long MaxReferenceImageBytes => Math.Max(Shipped.Limits.ReferenceImages.MaxBytes, Shipped.Models.Max(m => m.ReferenceImages.MaxBytes));

        public static int MinReferenceImageSide => Shipped.Limits.ReferenceImages.MinSide;

        public static long MaxReferenceImagePixels => Shipped.Limits.ReferenceImages.MaxPixels;

        private static SeedreamCatalog ReadShipped(string path)
        {
            if (!File.Exists(path))
            {
                throw new CatalogException(path, "the module's catalog", "", "is missing from the module folder; reinstall the module.");
            }

            return CatalogReader.ReadShipped(path, CatalogReader.Parse(path, ReadText(path)));
        }

        private static string ReadText(string path)
        {
            try
            {
                return File.ReadAllText(path, Encoding.UTF8);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new CatalogException(path, "the file", "", $"cannot be read: {ex.Message}", ex);
            }
        }

        private sealed class UserCatalog
        {
            private readonly long _length;
            private readonly DateTime _written;
            private readonly SeedreamCatalog _under;

            public UserCatalog(long length, DateTime written, SeedreamCatalog under, SeedreamCatalog catalog)
            {
                _length = length;
                _written = written;
                _under = under;
                Catalog = catalog;
            }

            public SeedreamCatalog Catalog { get; }

            public bool Matches(FileInfo file, SeedreamCatalog under) =>
                file.Length == _length && file.LastWriteTimeUtc == _written && ReferenceEquals(under, _under);
        }
    }
}
