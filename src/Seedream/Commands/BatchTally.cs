using System.Collections.Generic;
using System.Linq;

namespace Seedream.Commands
{
    /// <summary>The counts behind a call's <see cref="SeedreamBatchSummary"/>; <see cref="Add"/> is called from work tasks, the rest on the pipeline thread.</summary>
    internal sealed class BatchTally
    {
        private readonly object _gate = new object();
        private int _billed;
        private decimal _cost;
        private bool _unpriced;

        public int Items { get; set; }
        public int Sent { get; set; }
        public int RecalledRequests { get; private set; }
        public int RecalledImages { get; private set; }
        public int WhatIfRequests { get; set; }
        public int WhatIfImages { get; set; }
        public int WhatIfUnpriced { get; set; }
        public decimal WhatIfCost { get; set; }
        public bool Written { get; set; }

        public void Add(int billed, IEnumerable<SeedreamImage> received)
        {
            lock (_gate)
            {
                _billed += billed;
                foreach (SeedreamImage image in received)
                {
                    if (image.Cost is decimal cost)
                    {
                        _cost += cost;
                    }
                    else
                    {
                        _unpriced = true;
                    }
                }
            }
        }

        public void AddRecalled(int images)
        {
            RecalledRequests++;
            RecalledImages += images;
        }

        public SeedreamBatchSummary Summary()
        {
            lock (_gate)
            {
                return new SeedreamBatchSummary
                {
                    Items = Items,
                    RequestsSent = Sent,
                    ImagesBilled = _billed,
                    RequestsSkipped = RecalledRequests,
                    ImagesFromCheckpoint = RecalledImages,
                    EstimatedCost = _unpriced ? (decimal?)null : _cost,
                };
            }
        }
    }
}
