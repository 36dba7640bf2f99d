using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Seedream.Imaging
{
    /// <summary>
    /// SHA-256 made the same FIPS-safe way everywhere. On .NET Framework <c>SHA256.Create()</c> answers the managed
    /// implementation, which Windows refuses when its FIPS policy is on; the CryptoServiceProvider one is the
    /// validated module there. On .NET (Core) <c>SHA256.Create()</c> is the operating system's implementation.
    /// </summary>
    public static class Sha256Hash
    {
        private static readonly bool IsDesktop =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public static SHA256 Create() =>
#pragma warning disable SYSLIB0021 // only reached on .NET Framework, where it is the FIPS-validated choice
            IsDesktop ? new SHA256CryptoServiceProvider() : SHA256.Create();
#pragma warning restore SYSLIB0021

        /// <summary>Lower-case hex SHA-256 of a buffer.</summary>
        public static string Hex(byte[] data)
        {
            using SHA256 sha = Create();
            return ToHex(sha.ComputeHash(data));
        }

        /// <summary>Lower-case hex SHA-256 of a stream, read to its end.</summary>
        public static string Hex(Stream data)
        {
            using SHA256 sha = Create();
            return ToHex(sha.ComputeHash(data));
        }

        private static string ToHex(byte[] hash) => BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();
    }
}
