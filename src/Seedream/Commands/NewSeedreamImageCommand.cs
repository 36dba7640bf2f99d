using System;
using System.Management.Automation;
using Seedream.Imaging;

namespace Seedream.Commands
{
    /// <summary>New-SeedreamImage: text to image, or a batch sequence with -MaxImages. One prompt, one request.</summary>
    [Cmdlet(VerbsCommon.New, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SeedreamImage))]
    public sealed class NewSeedreamImageCommand : CreationCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string Prompt { get; set; } = "";

        /// <summary>
        /// Bound (by its alias, from PSIsContainer) only when the pipeline item is a provider item such as a file from
        /// Get-ChildItem. Such an item describes itself: PowerShell 7.6 gives every file a Size (its length), which would
        /// otherwise bind -Size. Hidden: not for typing.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("PSIsContainer")]
        public bool? PipedProviderItem { get; set; }

        /// <summary>New takes no images: a rule about them (a transparent background that needs a reference) names -Background.</summary>
        protected override string ImageParameterName => nameof(Background);

        /// <summary>A piped file or folder: its own properties (Size, its length) are not the request's values.</summary>
        protected override bool IgnoresPipedValues => PipedProviderItem != null;

        protected override void ProcessRecord()
        {
            if (IgnoresPipedValues && !Given(nameof(Prompt), Prompt))
            {
                // Bound by value, the item's path would become the prompt of a paid request.
                WriteItemError(SeedreamErrors.InvalidParameterRecord(nameof(Prompt),
                    "give the prompt (-Prompt 'text' or a script block such as { \"a poster of $($_.BaseName)\" }); a piped file or folder is not a prompt.", Prompt));
                return;
            }

            Submit(Prompt, Array.Empty<ReferenceImage>(), Prompt);
        }
    }
}
