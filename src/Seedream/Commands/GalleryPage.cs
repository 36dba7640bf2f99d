using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>
    /// The HTML of Export-SeedreamGallery: one page, its CSS inline, no script, nothing fetched but the images beside it
    /// (a Content-Security-Policy says so to the browser). Every text from a record is HTML-encoded.
    /// </summary>
    internal static class GalleryPage
    {
        /// <summary>One image of the page: its file, its record (null when it has none), and its header when it has none.</summary>
        internal sealed class Entry
        {
            public Entry(string path, SeedreamImageInfo? info, ImageHeader? header)
            {
                Path = path;
                Info = info;
                Header = header;
            }

            public string Path { get; }
            public SeedreamImageInfo? Info { get; }
            public ImageHeader? Header { get; }

            /// <summary>Images of one request share a group; an image without a request id is a group of its own.</summary>
            public string GroupKey => Info?.RequestId is string id ? "request:" + id : "file:" + Path;

            public int Width => Info?.Width ?? Header?.Width ?? 0;
            public int Height => Info?.Height ?? Header?.Height ?? 0;
        }

        private const string Css = @"
:root { color-scheme: light dark; --fg: #1b1b1f; --muted: #5d5d66; --bg: #f6f6f8; --card: #fff; --line: #dcdce2; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --muted: #a3a3ad; --bg: #141417; --card: #1e1e23; --line: #33333b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1600px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4rem; margin: 0 0 4px; }
.summary, footer { color: var(--muted); font-size: .9rem; }
section.request { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px; margin: 0 0 18px; }
.prompt { font-size: 1.05rem; margin: 0 0 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .85rem; margin: 0 0 12px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.meta span { overflow-wrap: anywhere; }
.images { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr)); list-style: none; margin: 0; padding: 0; }
figure { margin: 0; }
figure a { display: block; border-radius: 6px; overflow: hidden; background: var(--line); }
figure img { display: block; width: 100%; height: auto; object-fit: contain; }
figcaption { font-size: .8rem; color: var(--muted); margin-top: 4px; overflow-wrap: anywhere; }
figcaption b { color: var(--fg); font-weight: 600; }
@media (max-width: 480px) { header, main, footer { padding: 10px; } section.request { padding: 10px; } .images { grid-template-columns: 1fr 1fr; gap: 8px; } }
";

        public static string Render(string title, string pageFolder, IReadOnlyList<Entry> entries, DateTimeOffset now)
        {
            var groups = entries
                .GroupBy(e => e.GroupKey)
                .Select(g => g.OrderBy(e => e.Info?.ZIndex ?? e.Info?.Index ?? 0).ThenBy(e => e.Info?.Index ?? 0).ThenBy(e => e.Path, StringComparer.Ordinal).ToList())
                .OrderBy(g => g[0].Info?.Created ?? DateTimeOffset.MaxValue)
                .ThenBy(g => g[0].Path, StringComparer.Ordinal)
                .ToList();
            decimal total = entries.Sum(e => e.Info?.EstimatedCost ?? 0m);

            var html = new StringBuilder(4096 + entries.Count * 600);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'\">\n")
                .Append("<meta name=\"generator\" content=\"Seedream PowerShell module ").Append(Encode(ProvenanceRecord.AssemblyVersion)).Append("\">\n")
                .Append("<title>").Append(Encode(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>")
                .Append(Encode(title)).Append("</h1>\n<p class=\"summary\">")
                .Append(entries.Count.ToString(CultureInfo.InvariantCulture)).Append(" image(s) from ")
                .Append(groups.Count.ToString(CultureInfo.InvariantCulture)).Append(" request(s)");
            if (total > 0)
            {
                html.Append(", estimated cost ").Append(Encode(Money(total)));
            }

            html.Append("</p>\n</header>\n<main>\n");
            foreach (List<Entry> group in groups)
            {
                AppendGroup(html, pageFolder, group);
            }

            html.Append("</main>\n<footer>Made by Export-SeedreamGallery on ").Append(Encode(Time(now)))
                .Append(". Costs are the catalog's list prices when each image was made.</footer>\n</body>\n</html>\n");
            return html.ToString();
        }

        private static void AppendGroup(StringBuilder html, string pageFolder, List<Entry> group)
        {
            SeedreamImageInfo? first = group[0].Info;
            html.Append("<section class=\"request\">\n");
            if (first is null)
            {
                html.Append("<p class=\"prompt\">").Append(Encode(System.IO.Path.GetFileName(group[0].Path))).Append("</p>\n")
                    .Append("<p class=\"meta\"><span>no Seedream record</span></p>\n");
            }
            else
            {
                decimal? cost = group.All(e => e.Info?.EstimatedCost != null) ? group.Sum(e => e.Info!.EstimatedCost!.Value) : (decimal?)null;
                html.Append("<p class=\"prompt\">").Append(Encode(first.Prompt)).Append("</p>\n<p class=\"meta\">");
                Meta(html, "model", first.ModelFamily is null ? first.Model : $"{first.ModelFamily} ({first.Model})");
                Meta(html, "mode", first.Mode.ToString());
                Meta(html, "size", first.Size ?? $"{first.Width}x{first.Height}");
                html.Append("<span><time datetime=\"").Append(Encode(first.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))).Append("\">")
                    .Append(Encode(Time(first.Created))).Append("</time></span>");
                Meta(html, "cost", cost is decimal c ? Money(c) + " est." : "unknown");
                if (first.References.Length > 0)
                {
                    Meta(html, "references", string.Join(", ", first.References.Select(r => r.Kind == SeedreamReferenceKind.Url ? r.Url : r.Name ?? r.Kind.ToString())));
                }

                Meta(html, "request", first.RequestId ?? "(none)");
                html.Append("</p>\n");
            }

            html.Append("<ol class=\"images\">\n");
            foreach (Entry entry in group)
            {
                string href = Encode(RelativeUrl(pageFolder, entry.Path));
                string name = System.IO.Path.GetFileName(entry.Path);
                SeedreamImageInfo? info = entry.Info;
                string alt = info is null ? name : $"{info.Prompt} (image {info.Index + 1})";
                html.Append("<li><figure><a href=\"").Append(href).Append("\"><img src=\"").Append(href).Append("\" alt=\"").Append(Encode(alt)).Append('"');
                if (entry.Width > 0 && entry.Height > 0)
                {
                    html.Append(" width=\"").Append(entry.Width.ToString(CultureInfo.InvariantCulture))
                        .Append("\" height=\"").Append(entry.Height.ToString(CultureInfo.InvariantCulture)).Append('"');
                }

                html.Append(" loading=\"lazy\" decoding=\"async\"></a>\n<figcaption>");
                if (info?.ZIndex is int z)
                {
                    // A layer set reads bottom-up: the base image (z 0) first, then each layer above it.
                    html.Append("<b>").Append(z == 0 ? "base" : "layer " + z.ToString(CultureInfo.InvariantCulture)).Append("</b> ");
                    if (!string.IsNullOrEmpty(info.LayerName))
                    {
                        html.Append(Encode(info.LayerName)).Append(" &middot; ");
                    }
                }
                else if (info != null)
                {
                    html.Append("<b>#").Append((info.Index + 1).ToString(CultureInfo.InvariantCulture)).Append("</b> ");
                }

                html.Append(Encode($"{entry.Width}x{entry.Height}"));
                if (info?.EstimatedCost is decimal each)
                {
                    html.Append(" &middot; ").Append(Encode(Money(each)));
                }

                html.Append(" &middot; ").Append(Encode(name));
                if (!string.IsNullOrEmpty(info?.LayerDescription))
                {
                    html.Append("<br>").Append(Encode(info!.LayerDescription));
                }

                html.Append("</figcaption></figure></li>\n");
            }

            html.Append("</ol>\n</section>\n");
        }

        private static void Meta(StringBuilder html, string label, string? value) =>
            html.Append("<span>").Append(Encode(label)).Append(": ").Append(Encode(value ?? "")).Append("</span>");

        private static string Money(decimal amount) => "$" + amount.ToString("0.00##", CultureInfo.InvariantCulture);

        private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        /// <summary>HTML-encodes text for element content and quoted attributes (&lt; &gt; &amp; &quot; &#39;).</summary>
        internal static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

        /// <summary>The image's address relative to the page's folder, each segment percent-encoded (so '#', '?' or spaces in names work).</summary>
        internal static string RelativeUrl(string fromFolder, string toFile)
        {
            StringComparison comparison = System.IO.Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            string[] from = Segments(System.IO.Path.GetFullPath(fromFolder));
            string[] to = Segments(System.IO.Path.GetFullPath(toFile));
            int common = 0;
            while (common < from.Length && common < to.Length - 1 && string.Equals(from[common], to[common], comparison))
            {
                common++;
            }

            bool sameRoot = string.Equals(System.IO.Path.GetPathRoot(System.IO.Path.GetFullPath(fromFolder)), System.IO.Path.GetPathRoot(System.IO.Path.GetFullPath(toFile)), comparison);
            if (!sameRoot)
            {
                // Another drive: only an absolute file URL reaches it.
                return new Uri(System.IO.Path.GetFullPath(toFile)).AbsoluteUri;
            }

            IEnumerable<string> up = Enumerable.Repeat("..", from.Length - common);
            return string.Join("/", up.Concat(to.Skip(common).Select(Uri.EscapeDataString)));
        }

        private static string[] Segments(string path) =>
            path.Split(new[] { System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
    }
}
