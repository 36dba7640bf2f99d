using System;
using System.Management.Automation;

namespace Seedream.Commands
{
    /// <summary>background: what a new image is rendered on, on the models that take it (the catalog's accepts.background).</summary>
    public enum SeedreamBackground
    {
        Auto,
        Transparent,
        Opaque,
    }

    /// <summary>
    /// What New-SeedreamImage and Edit-SeedreamImage add to <see cref="GenerationCmdlet"/>: sequences, streaming and the
    /// background, the options of making new images that a layer decomposition (Split-SeedreamImage) does not take.
    /// </summary>
    public abstract class CreationCmdlet : GenerationCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int MaxImages { get; set; }

        [Parameter]
        public SwitchParameter Stream { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int StreamIdleTimeoutSec { get; set; } = 120;

        /// <summary>Auto, Transparent (a PNG with an alpha channel) or Opaque, where the model takes it; Transparent sends output_format png when -OutputFormat is not given.</summary>
        /// <remarks>An enum: PowerShell completes and validates its values (and offers them before any custom completer).</remarks>
        [Parameter]
        public SeedreamBackground Background { get; set; }

        protected override int? SequenceImages => Given(nameof(MaxImages), MaxImages) ? MaxImages : (int?)null;

        protected override bool StreamAnswer => Stream.IsPresent;

        protected override TimeSpan StreamIdleTimeout => TimeSpan.FromSeconds(StreamIdleTimeoutSec);

        protected override string? BackgroundMode =>
            MyInvocation.BoundParameters.ContainsKey(nameof(Background)) ? Background.ToString().ToLowerInvariant() : null;
    }
}
