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

        /// <summary>New takes no images: a rule about them (a transparent background that needs a reference) names -Background.</summary>
        protected override string ImageParameterName => nameof(Background);

        protected override void ProcessRecord() => Submit(Prompt, Array.Empty<ReferenceImage>(), Prompt);
    }
}
