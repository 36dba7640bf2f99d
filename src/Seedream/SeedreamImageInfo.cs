using System;
using System.Collections;
using System.IO;
using Seedream.Api;
using Seedream.Commands;
using Seedream.Imaging;

namespace Seedream
{
    /// <summary>
    /// What Get-SeedreamImageInfo reads back from a saved image: the recorded request and the image's place in its
    /// answer, with the file. Property names match the parameters of New-SeedreamImage and Edit-SeedreamImage (Prompt,
    /// Model, Size, MaxImages, OutputFormat, ResponseFormat, Watermark, Stream, OptimizePromptMode, Thinking, AdditionalBody,
    /// Image); a null one was not sent. <see cref="Parameters"/> holds exactly those that were, for splatting into
    /// <see cref="Command"/>. Piped into Edit-SeedreamImage the object is the saved file itself.
    /// </summary>
    public sealed class SeedreamImageInfo
    {
        public string Name { get; set; } = "";
        public string FullName { get; set; } = "";

        /// <summary>The provider path, so the object binds to -LiteralPath (alias PSPath) of file cmdlets.</summary>
        public string PSPath { get; set; } = "";

        public FileInfo? File { get; set; }

        /// <summary>Embedded (XMP in the image) or Sidecar (the image's .json).</summary>
        public ProvenanceSource Source { get; set; }

        public string Prompt { get; set; } = "";
        public string Model { get; set; } = "";
        public string? ModelFamily { get; set; }
        public string Provider { get; set; } = "";
        public GenerationMode Mode { get; set; }
        public string? Size { get; set; }
        public int? MaxImages { get; set; }
        public SeedreamOutputFormat? OutputFormat { get; set; }
        public SeedreamResponseFormat ResponseFormat { get; set; }
        public bool Watermark { get; set; }
        public bool Stream { get; set; }
        public PromptOptimizationMode? OptimizePromptMode { get; set; }
        public ThinkingMode? Thinking { get; set; }

        /// <summary>background as sent (Auto, Transparent, Opaque); null when not sent.</summary>
        public SeedreamBackground? Background { get; set; }

        /// <summary>The request was a layer decomposition (Split-SeedreamImage).</summary>
        public bool LayerDecomposition { get; set; }
        public Hashtable? AdditionalBody { get; set; }

        /// <summary>The references to send again: URLs as they were sent, local files by their path where a file of the same name and SHA-256 is found; null without references or when one cannot be found.</summary>
        public object[]? Image { get; set; }

        /// <summary>The references as recorded.</summary>
        public SeedreamReference[] References { get; set; } = Array.Empty<SeedreamReference>();

        public int Index { get; set; }
        public string? RequestId { get; set; }
        public DateTimeOffset Created { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }

        /// <summary>A layer's z_index in a layer decomposition (0 = the base image); null for other images.</summary>
        public int? ZIndex { get; set; }

        /// <summary>A layer's box in the base image, absolute pixels "left,top,right,bottom".</summary>
        public string? BoundingBox { get; set; }

        public string? LayerName { get; set; }
        public string? LayerDescription { get; set; }

        /// <summary>The catalog's list price of the image when it was made, in US dollars; null when the model was unknown.</summary>
        public decimal? EstimatedCost { get; set; }

        /// <summary>True when the provenance record says the module's simulator drew the image (never sent, never billed).</summary>
        public bool IsSimulated { get; set; }

        public string? ModuleVersion { get; set; }
        public int RecordVersion { get; set; }

        /// <summary>The request as recorded (the body's own values).</summary>
        public SeedreamRequest Request { get; set; } = new SeedreamRequest();

        /// <summary>New-SeedreamImage, or Edit-SeedreamImage when the request had references.</summary>
        public string Command { get; set; } = "New-SeedreamImage";

        /// <summary>The parameters that send the same request body again: <c>$p = $info.Parameters; &amp; $info.Command @p</c>.</summary>
        public Hashtable Parameters { get; set; } = new Hashtable();

        public override string ToString() => FullName;
    }
}
