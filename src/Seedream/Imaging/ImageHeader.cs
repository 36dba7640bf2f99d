using System;

namespace Seedream.Imaging
{
    /// <summary>Image container formats recognised by <see cref="ImageHeaderReader"/>.</summary>
    public enum ImageFormat
    {
        Png,
        Jpeg,
        Webp,
        Bmp,
        Tiff,
        Gif,
    }

    /// <summary>Per-format names: MIME subtype and preferred file extension.</summary>
    public static class ImageFormatExtensions
    {
        /// <summary>Lower-case MIME subtype, as in <c>data:image/&lt;subtype&gt;;base64,</c>.</summary>
        public static string MimeSubtype(this ImageFormat format) => format switch
        {
            ImageFormat.Png => "png",
            ImageFormat.Jpeg => "jpeg",
            ImageFormat.Webp => "webp",
            ImageFormat.Bmp => "bmp",
            ImageFormat.Tiff => "tiff",
            ImageFormat.Gif => "gif",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
        };

        /// <summary>Preferred file extension including the leading dot (".png", ".jpg", ...).</summary>
        public static string FileExtension(this ImageFormat format) => format switch
        {
            ImageFormat.Png => ".png",
            ImageFormat.Jpeg => ".jpg",
            ImageFormat.Webp => ".webp",
            ImageFormat.Bmp => ".bmp",
            ImageFormat.Tiff => ".tif",
            ImageFormat.Gif => ".gif",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
        };
    }

    /// <summary>Format and pixel dimensions read from an image's header.</summary>
    public readonly struct ImageHeader : IEquatable<ImageHeader>
    {
        public ImageHeader(ImageFormat format, int width, int height)
        {
            Format = format;
            Width = width;
            Height = height;
        }

        public ImageFormat Format { get; }

        public int Width { get; }

        public int Height { get; }

        /// <summary>Lower-case MIME subtype ("png", "jpeg", "webp", "bmp", "tiff", "gif").</summary>
        public string MimeSubtype => Format.MimeSubtype();

        /// <summary>File extension with leading dot (".png", ".jpg", ".webp", ".bmp", ".tif", ".gif").</summary>
        public string FileExtension => Format.FileExtension();

        public bool Equals(ImageHeader other) =>
            Format == other.Format && Width == other.Width && Height == other.Height;

        public override bool Equals(object? obj) => obj is ImageHeader other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = (int)Format;
                hash = (hash * 397) ^ Width;
                hash = (hash * 397) ^ Height;
                return hash;
            }
        }

        public static bool operator ==(ImageHeader left, ImageHeader right) => left.Equals(right);

        public static bool operator !=(ImageHeader left, ImageHeader right) => !left.Equals(right);

        public override string ToString() => $"{MimeSubtype} {Width}x{Height}";
    }
}
