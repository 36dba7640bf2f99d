using System;
using System.IO;
using System.Threading;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>Where Save-SeedreamResult records how an image was made.</summary>
    public enum ProvenanceMode
    {
        /// <summary>XMP inside the PNG or JPEG (the default).</summary>
        Embed,

        /// <summary>A JSON file beside the image (image.jpg.json); the image is left as received.</summary>
        Sidecar,

        /// <summary>No record.</summary>
        None,
    }

    /// <summary>Save-SeedreamResult's provenance step, run on the complete temporary file before it gets its final name.</summary>
    internal static class SavedProvenance
    {
        /// <summary>
        /// Embeds the record in <paramref name="temporary"/> or writes the sidecar of <paramref name="final"/>. It never costs the
        /// image: when the record cannot be embedded it goes to a sidecar, and when that cannot be written either, the image is
        /// saved without it; both with a warning. Returns a few words for the verbose line.
        /// </summary>
        public static string Apply(ProvenanceMode mode, SeedreamImage image, string temporary, string final, bool force, Action<string> warn, CancellationToken cancellationToken)
        {
            if (mode == ProvenanceMode.None)
            {
                return "without provenance";
            }

            ProvenanceRecord record = ProvenanceRecord.From(image, ProvenanceRecord.AssemblyVersion);
            if (mode == ProvenanceMode.Embed)
            {
                try
                {
                    ProvenanceFile.Embed(temporary, record, cancellationToken);
                    return "provenance embedded";
                }
                catch (InvalidDataException ex)
                {
                    warn($"Image {image.Index}: the provenance record cannot be embedded ({ex.Message}); it goes to '{Path.GetFileName(ProvenanceFile.SidecarPath(final))}' instead.");
                }
            }

            try
            {
                return $"provenance in {Path.GetFileName(ProvenanceFile.WriteSidecar(final, record, force))}";
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                warn($"Image {image.Index} is saved without its provenance record: {ex.Message}");
                return "without provenance";
            }
        }
    }
}
