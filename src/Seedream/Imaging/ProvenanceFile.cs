using System;
using System.IO;
using System.Threading;

namespace Seedream.Imaging
{
    /// <summary>Where a record was found.</summary>
    public enum ProvenanceSource
    {
        /// <summary>XMP inside the image.</summary>
        Embedded,

        /// <summary>A JSON file beside the image (<c>image.jpg.json</c>).</summary>
        Sidecar,
    }

    /// <summary>Provenance on files: embedding in place, sidecars, reading back. Every write goes through a temporary file in the same folder.</summary>
    public static class ProvenanceFile
    {
        public const string SidecarExtension = ".json";

        public static string SidecarPath(string imagePath) => imagePath + SidecarExtension;

        /// <summary>
        /// Rewrites the PNG or JPEG at <paramref name="path"/> with the record embedded: the copy is written beside it and
        /// replaces it only when complete, so on any failure the file is left exactly as it was.
        /// </summary>
        /// <exception cref="InvalidDataException">not a PNG or JPEG that can be read, or a record too large for it.</exception>
        public static void Embed(string path, ProvenanceRecord record, CancellationToken cancellationToken = default)
        {
            string copy = TemporaryBeside(path);
            try
            {
                // Unbuffered (buffer size 1): the embedder copies through its own 80 KB buffer, and two more per file
                // would only be garbage while a batch's images are still held.
                using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
                using (var destination = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                {
                    ProvenanceEmbedder.Embed(source, destination, record, cancellationToken);
                    destination.Flush(true);
                }

                File.Replace(copy, path, null);
            }
            finally
            {
                if (File.Exists(copy))
                {
                    File.Delete(copy);
                }
            }
        }

        /// <summary>Writes <c>imagePath.json</c> (through a temporary file); an existing one is replaced only when <paramref name="overwrite"/>.</summary>
        /// <exception cref="IOException">the sidecar exists and <paramref name="overwrite"/> is false.</exception>
        public static string WriteSidecar(string imagePath, ProvenanceRecord record, bool overwrite)
        {
            string sidecar = SidecarPath(imagePath);
            if (File.Exists(sidecar) && !overwrite)
            {
                throw new IOException($"'{sidecar}' already exists; use -Force to overwrite it.");
            }

            string temporary = TemporaryBeside(sidecar);
            try
            {
                File.WriteAllBytes(temporary, ProvenanceJson.Write(record));
                if (File.Exists(sidecar))
                {
                    File.Replace(temporary, sidecar, null);
                }
                else
                {
                    File.Move(temporary, sidecar);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            return sidecar;
        }

        /// <summary>The record of an image: embedded first, else from its sidecar; null when it has neither.</summary>
        /// <exception cref="InvalidDataException">the image is cut short or malformed before a record was found.</exception>
        public static ProvenanceRecord? Read(string imagePath, out ProvenanceSource source)
        {
            source = ProvenanceSource.Embedded;
            if (ProvenanceReader.Read(imagePath) is ProvenanceRecord embedded)
            {
                return embedded;
            }

            source = ProvenanceSource.Sidecar;
            var sidecar = new FileInfo(SidecarPath(imagePath));
            return sidecar.Exists && sidecar.Length <= ProvenanceJson.MaxSidecarBytes ? ProvenanceJson.TryRead(File.ReadAllBytes(sidecar.FullName)) : null;
        }

        /// <summary>A hidden, unique name in the same folder, so the final rename never crosses volumes.</summary>
        private static string TemporaryBeside(string path) =>
            Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
    }
}
