using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Seedream.Commands
{
    /// <summary>
    /// Save-SeedreamResult's manifest of one layer set (the base image and the layers of one Split-SeedreamImage answer):
    /// &lt;stem&gt;.layers.json beside the files, listing each saved file in stacking order with its z-index, bounding box
    /// (pixels and 0..1000), name and description, for an image editor's script to rebuild the stack. Written once, by
    /// the save that completes the set, or at the end of the command for a set not all of whose images came through.
    /// File names are relative (no folder, no machine path). The file is written whole under a temporary name first.
    /// </summary>
    internal sealed class LayerManifest
    {
        public const string Extension = ".layers.json";
        public const string Schema = "https://seedream-powershell.github.io/schemas/layers/1.0";
        private readonly object _gate = new object();
        private readonly List<Entry> _saved = new List<Entry>();
        private bool _written;

        public LayerManifest(SeedreamImage first, string path)
        {
            LayerSetId = first.LayerSetId ?? "";
            Model = first.Model;
            Prompt = first.Prompt;
            Total = first.LayerCount ?? 0;
            Path = path;
        }

        public string LayerSetId { get; }
        public string Model { get; }
        public string Prompt { get; }

        /// <summary>How many images the answer's layer set holds (the base and its layers).</summary>
        public int Total { get; }

        public string Path { get; }

        /// <summary>Records a saved image; returns every entry when this one completes the set (all of it, or all this command was given), else null.</summary>
        public IReadOnlyList<Entry>? Saved(SeedreamImage image, string fileName)
        {
            lock (_gate)
            {
                _saved.Add(new Entry(fileName, image));
                if (_written || _saved.Count < Math.Max(Total, 1))
                {
                    return null;
                }

                _written = true;
                return _saved.OrderBy(e => e.ZIndex).ToList();
            }
        }

        /// <summary>The entries of a set whose manifest was not written (some of its images were not saved); null once written.</summary>
        public IReadOnlyList<Entry>? TryTakeUnwritten()
        {
            lock (_gate)
            {
                if (_written)
                {
                    return null;
                }

                _written = true;
                return _saved.OrderBy(e => e.ZIndex).ToList();
            }
        }

        /// <summary>Writes the manifest; false when the file exists and <paramref name="force"/> is not set.</summary>
        public bool Write(IReadOnlyList<Entry> entries, bool force)
        {
            if (File.Exists(Path) && !force)
            {
                return false;
            }

            string folder = System.IO.Path.GetDirectoryName(Path)!;
            string temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.partial");
            try
            {
                File.WriteAllBytes(temporary, ToJson(entries));
                if (File.Exists(Path))
                {
                    File.Replace(temporary, Path, null);
                }
                else
                {
                    File.Move(temporary, Path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            return true;
        }

        /// <summary>The manifest's JSON (UTF-8, indented).</summary>
        public byte[] ToJson(IReadOnlyList<Entry> entries)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("schema", Schema);
                json.WriteString("layerSetId", LayerSetId);
                json.WriteString("model", Model);
                json.WriteString("prompt", Prompt);
                Entry? baseImage = entries.FirstOrDefault(e => e.ZIndex == 0);
                if (baseImage != null)
                {
                    json.WriteNumber("width", baseImage.Width);
                    json.WriteNumber("height", baseImage.Height);
                }

                json.WriteNumber("images", Total);
                json.WriteStartArray("layers");
                foreach (Entry entry in entries)
                {
                    json.WriteStartObject();
                    json.WriteString("file", entry.File);
                    json.WriteNumber("zIndex", entry.ZIndex);
                    Text(json, "name", entry.Name);
                    Text(json, "description", entry.Description);
                    json.WriteNumber("width", entry.Width);
                    json.WriteNumber("height", entry.Height);
                    Box(json, "boundingBox", entry.Box);
                    Box(json, "normalizedBoundingBox", entry.Box?.Normalized);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            return buffer.ToArray();
        }

        private static void Text(Utf8JsonWriter json, string name, string? value)
        {
            if (value is null)
            {
                json.WriteNull(name);
            }
            else
            {
                json.WriteString(name, value);
            }
        }

        private static void Box(Utf8JsonWriter json, string name, SeedreamBoundingBox? box)
        {
            if (box is null)
            {
                json.WriteNull(name);
                return;
            }

            json.WriteStartObject(name);
            json.WriteNumber("left", box.Left);
            json.WriteNumber("top", box.Top);
            json.WriteNumber("right", box.Right);
            json.WriteNumber("bottom", box.Bottom);
            json.WriteEndObject();
        }

        /// <summary>One saved image of the set, as the manifest lists it.</summary>
        public sealed class Entry
        {
            public Entry(string file, SeedreamImage image)
            {
                File = file;
                ZIndex = image.ZIndex ?? 0;
                Name = image.LayerName;
                Description = image.LayerDescription;
                Width = image.Width;
                Height = image.Height;
                Box = image.BoundingBox;
            }

            public string File { get; }
            public int ZIndex { get; }
            public string? Name { get; }
            public string? Description { get; }
            public int Width { get; }
            public int Height { get; }
            public SeedreamBoundingBox? Box { get; }
        }
    }
}
