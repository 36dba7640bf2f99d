using System.Globalization;
using Seedream.Catalog;

namespace Seedream
{
    /// <summary>
    /// What one New-SeedreamImage or Edit-SeedreamImage call did, written at its end to the information stream (tags
    /// Seedream and Summary) and to -Verbose: requests sent, images billed, images recalled from a checkpoint instead of
    /// being paid for again, and the estimated cost at the catalog's list price (the rule each result's Cost uses).
    /// </summary>
    public sealed class SeedreamBatchSummary
    {
        /// <summary>Pipeline items (or -Fuse batches) the call handled.</summary>
        public int Items { get; set; }

        /// <summary>Requests that went to the server (answered or not).</summary>
        public int RequestsSent { get; set; }

        /// <summary>Images the answers billed (their usage; the images that arrived where none was reported).</summary>
        public int ImagesBilled { get; set; }

        /// <summary>Requests not sent because the checkpoint holds their answer.</summary>
        public int RequestsSkipped { get; set; }

        /// <summary>Images written from the checkpoint (not billed again).</summary>
        public int ImagesFromCheckpoint { get; set; }

        /// <summary>Sum of the Cost of the images received; null when one of them had no price (a model the catalog does not know).</summary>
        public decimal? EstimatedCost { get; set; }

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "Seedream: {0} request(s) sent, {1} image(s) billed, {2} image(s) skipped from the checkpoint ({3} request(s) not sent), estimated cost {4}.",
                RequestsSent, ImagesBilled, ImagesFromCheckpoint, RequestsSkipped,
                EstimatedCost is decimal cost ? PriceRule.Money(cost) + " at list price" : "unknown (a model the catalog does not price)");
    }
}
