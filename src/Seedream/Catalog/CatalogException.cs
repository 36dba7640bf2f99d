using System;

namespace Seedream.Catalog
{
    /// <summary>
    /// A catalog file that cannot be used: not JSON, or an entry with a missing or wrong field. The message names the
    /// file, the entry (model '5.5' (models[0])) and the field (sizes.minPixels), and says what is expected.
    /// </summary>
    public sealed class CatalogException : Exception
    {
        public CatalogException(string file, string entry, string field, string problem, Exception? inner = null)
            : base(Compose(file, entry, field, problem), inner)
        {
            File = file;
            Entry = entry;
            Field = field;
            Problem = problem;
        }

        /// <summary>The full path of the file.</summary>
        public string File { get; }

        /// <summary>The entry in words: model '5.5' (models[0]), provider 'APIYI' (providers[1]), the top level.</summary>
        public string Entry { get; }

        /// <summary>The field's path inside the entry (sizes.minPixels); empty for the entry itself.</summary>
        public string Field { get; }

        public string Problem { get; }

        private static string Compose(string file, string entry, string field, string problem) =>
            $"Catalog file '{file}', {entry}" + (field.Length > 0 ? $", field '{field}'" : "") + $": {problem}";
    }
}
