using System.Globalization;

namespace Seedream.Api
{
    /// <summary>
    /// A short, stable, non-cryptographic hash (FNV-1a, 32 bits) for telling names apart. No cryptography: on
    /// Windows PowerShell under FIPS policy SHA256.Create() throws, and a file name needs no collision resistance.
    /// </summary>
    public static class StableHash
    {
        /// <summary>The hash of <paramref name="text"/> as <paramref name="hexDigits"/> (1..8) lower-case hex digits.</summary>
        public static string Hex(string text, int hexDigits)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ (byte)c) * 16777619;
                hash = (hash ^ (byte)(c >> 8)) * 16777619;
            }

            string hex = hash.ToString("x8", CultureInfo.InvariantCulture);
            return hex.Substring(0, hexDigits < 1 ? 1 : hexDigits > 8 ? 8 : hexDigits);
        }
    }
}
