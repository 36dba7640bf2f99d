using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;

namespace Seedream.Commands
{
    /// <summary>
    /// What every Seedream progress bar shares: it is written at most once per <see cref="Interval"/> (never once per
    /// request), its percentage never goes backwards (more input arriving, or a download starting over, would otherwise
    /// pull it back) and stays below 100 until the work is done, and a retry wait shows in it ("waiting 30 s: rate
    /// limited") until the wait is over. Waits are noted from any thread; the rest runs on the pipeline thread.
    /// </summary>
    internal sealed class ProgressReport
    {
        public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Func<DateTime> _clock;
        private DateTime _nextWrite = DateTime.MinValue;
        private int _percent = -1;
        private Wait? _wait;

        public ProgressReport(Func<DateTime>? clock = null) => _clock = clock ?? (() => DateTime.UtcNow);

        /// <summary>True when a record is due (the first time, then at most once per <see cref="Interval"/>); the caller then writes one.</summary>
        public bool TryStartWrite()
        {
            DateTime now = _clock();
            if (now < _nextWrite)
            {
                return false;
            }

            _nextWrite = now + Interval;
            return true;
        }

        /// <summary>Whether any record was written, so the bar needs completing.</summary>
        public bool Shown => _percent >= 0;

        /// <summary>Notes a retry wait (any thread); the bar shows it until <paramref name="delay"/> has passed.</summary>
        public void NoteWait(TimeSpan delay, string reason) =>
            Interlocked.Exchange(ref _wait, new Wait(_clock() + delay, reason));

        /// <summary>
        /// The record to write now: <paramref name="percent"/> raised to the highest shown so far and held below 100
        /// (only <see cref="Completed"/> says done), and the retry wait, while one runs, after the status.
        /// </summary>
        public ProgressRecord Record(int activityId, string activity, string status, int percent)
        {
            (string text, int shown) = Compose(status, percent);
            return new ProgressRecord(activityId, activity, text) { PercentComplete = shown };
        }

        /// <summary>The status text and percentage <see cref="Record"/> writes (apart, so they can be checked without PowerShell).</summary>
        internal (string Status, int Percent) Compose(string status, int percent)
        {
            DateTime now = _clock();
            _percent = Math.Max(_percent, Math.Max(0, Math.Min(99, percent)));
            Wait? wait = Volatile.Read(ref _wait);
            return (wait != null && wait.Until > now ? status + "; " + wait.Describe(now) : status, _percent);
        }

        public ProgressRecord Completed(int activityId, string activity) =>
            new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 };

        /// <summary>The few words a wait is shown with: "rate limited" for a 429, else the reason's first part.</summary>
        public static string ShortReason(string reason)
        {
            if (reason.StartsWith("HTTP 429", StringComparison.Ordinal))
            {
                return "rate limited";
            }

            if (reason.StartsWith("HTTP 5", StringComparison.Ordinal))
            {
                return $"server error ({reason.Split(' ')[0]} {reason.Split(' ')[1]})";
            }

            int colon = reason.IndexOf(':');
            return colon > 0 ? reason.Substring(0, colon) : reason;
        }

        private sealed class Wait
        {
            public Wait(DateTime until, string reason)
            {
                Until = until;
                Reason = reason;
            }

            public DateTime Until { get; }
            public string Reason { get; }

            public string Describe(DateTime now)
            {
                double seconds = Math.Ceiling((Until - now).TotalSeconds);
                return $"waiting {seconds.ToString("0", CultureInfo.InvariantCulture)} s: {Reason}";
            }
        }
    }
}
