using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Seedream.Imaging;

namespace Seedream.Simulator
{
    /// <summary>
    /// One image the simulator answers with, told entirely by its <see cref="Token"/> (seed, place, size, format,
    /// transparency, watermark): a hosted URL carries the token, and the download draws the same image again from it,
    /// so nothing is stored between the answer and the download.
    /// </summary>
    internal sealed class SimulatedImage
    {
        /// <summary>The host of the simulator's image URLs: under .invalid, which no DNS resolves (RFC 2606).</summary>
        public const string Host = "simulator.seedream.invalid";

        private static readonly Regex TokenPattern = new Regex(@"^([0-9a-f]{32})-(\d{1,3})-(\d{1,5})x(\d{1,5})-([pj])([bl]?)(w?)$", RegexOptions.CultureInvariant);

        public SimulatedImage(string seedHex, int index, int width, int height, bool png, SimulatedAlpha alpha, bool watermark)
        {
            SeedHex = seedHex;
            Index = index;
            Width = width;
            Height = height;
            Png = png || alpha != SimulatedAlpha.None;
            Alpha = alpha;
            Watermark = watermark;
        }

        public string SeedHex { get; }
        public int Index { get; }
        public int Width { get; }
        public int Height { get; }
        public bool Png { get; }
        public SimulatedAlpha Alpha { get; }
        public bool Watermark { get; }

        public string Format => Png ? "png" : "jpeg";
        public string Size => $"{Width}x{Height}";
        public long Pixels => (long)Width * Height;

        public string Token =>
            $"{SeedHex}-{Index}-{Width}x{Height}-{(Png ? 'p' : 'j')}{(Alpha == SimulatedAlpha.Background ? "b" : Alpha == SimulatedAlpha.Layer ? "l" : "")}{(Watermark ? "w" : "")}";

        /// <summary>What the image says under "SIMULATED": its size and place, or which layer it is.</summary>
        public string Caption => Alpha == SimulatedAlpha.Layer ? $"LAYER {Index}" : $"{Width}x{Height} #{Index + 1}";

        /// <summary>The seed of a request's image: SHA-256 of what decides it, so the same request draws the same image.</summary>
        public static string SeedOf(string request, int index)
        {
            using var sha = Sha256Hash.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(request + "\n" + index.ToString(CultureInfo.InvariantCulture)));
            var text = new StringBuilder(32);
            for (int i = 0; i < 16; i++)
            {
                text.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        public byte[] Render()
        {
            var seed = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                seed[i] = byte.Parse(SeedHex.Substring(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            var picture = new SimulatedPicture(seed, Width, Height, Caption, Alpha, Watermark);
            return Png ? SimulatedPngWriter.Write(picture) : SimulatedJpegWriter.Write(picture);
        }

        /// <summary>The hosted URL: the token, the creation time on the simulated clock, and the lifetime as TOS links state it.</summary>
        public Uri UrlAt(DateTimeOffset created, TimeSpan lifetime) =>
            new Uri($"https://{Host}/files/{Token}.{Format}?X-Sim-Created={created.ToUnixTimeSeconds()}&X-Sim-Expires={(long)lifetime.TotalSeconds}");

        /// <summary>The image a simulator URL stands for, and when it was made; null for any other URL.</summary>
        public static (SimulatedImage Image, DateTimeOffset? Created)? FromUrl(Uri url)
        {
            if (!IsSimulatorUrl(url) || !url.AbsolutePath.StartsWith("/files/", StringComparison.Ordinal))
            {
                return null;
            }

            string file = url.AbsolutePath.Substring("/files/".Length);
            int dot = file.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            Match match = TokenPattern.Match(file.Substring(0, dot));
            if (!match.Success || !int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int width) ||
                !int.TryParse(match.Groups[4].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int height) ||
                width < 1 || height < 1 || (long)width * height > SimulatedPicture.MaxPixels)
            {
                return null;
            }

            var image = new SimulatedImage(match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), width, height,
                match.Groups[5].Value == "p", match.Groups[6].Value == "b" ? SimulatedAlpha.Background : match.Groups[6].Value == "l" ? SimulatedAlpha.Layer : SimulatedAlpha.None,
                match.Groups[7].Value == "w");
            if (file.Substring(dot + 1) != image.Format)
            {
                return null;
            }

            DateTimeOffset? created = null;
            foreach (string pair in url.Query.TrimStart('?').Split('&'))
            {
                if (pair.StartsWith("X-Sim-Created=", StringComparison.Ordinal) &&
                    long.TryParse(pair.Substring("X-Sim-Created=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds < 253402300800L)
                {
                    created = DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
            }

            return (image, created);
        }

        public static bool IsSimulatorUrl(Uri url) =>
            url.IsAbsoluteUri && url.Scheme == Uri.UriSchemeHttps && string.Equals(url.Host, Host, StringComparison.OrdinalIgnoreCase);
    }
}
