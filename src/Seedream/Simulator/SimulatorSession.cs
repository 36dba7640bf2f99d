using System;
using System.Threading;

namespace Seedream.Simulator
{
    /// <summary>
    /// A fault the simulator plays on demand (Connect-Seedream -Provider Simulator -SimulateFault), each as the real
    /// service shows it, so a script's handling of it can be rehearsed.
    /// </summary>
    public enum SimulatedFault
    {
        /// <summary>No fault: every request is answered.</summary>
        None,

        /// <summary>HTTP 429 RateLimitExceeded.EndpointRPMExceeded with Retry-After: 1 (retried, as from the real API).</summary>
        RateLimit,

        /// <summary>The first image of the answer is refused by moderation: an OutputImageSensitiveContentDetected slot.</summary>
        ContentFiltered,

        /// <summary>HTTP 500 InternalServiceError (retried, as from the real API).</summary>
        ServerError,

        /// <summary>The connection breaks mid-answer: a stream after its first event, a body half-way.</summary>
        CutStream,

        /// <summary>An image download answers HTTP 403 as a link older than 24 hours does.</summary>
        ExpiredUrl,
    }

    /// <summary>
    /// What one session's simulator remembers: the fault asked for and how many requests it still applies to, and the
    /// simulated clock (the real clock plus <see cref="ClockOffset"/>). Connect-Seedream keeps one per runspace; the
    /// simulator's handlers share it across threads.
    /// </summary>
    public sealed class SimulatorSession
    {
        private int _faultsLeft;

        public SimulatorSession(SimulatedFault fault = SimulatedFault.None, int count = 1)
        {
            Fault = fault;
            _faultsLeft = fault == SimulatedFault.None ? 0 : Math.Max(0, count);
        }

        /// <summary>A session without faults, for calls made before any Connect-Seedream -SimulateFault.</summary>
        internal static SimulatorSession Idle { get; } = new SimulatorSession();

        public SimulatedFault Fault { get; }

        /// <summary>Requests (downloads, for ExpiredUrl) the fault still applies to.</summary>
        public int FaultsLeft => Volatile.Read(ref _faultsLeft);

        /// <summary>Added to the real clock: the simulated time answers are created at and download links expire by.</summary>
        public TimeSpan ClockOffset { get; set; }

        public DateTimeOffset Now => DateTimeOffset.UtcNow + ClockOffset;

        /// <summary>True (and one fewer left) when the next request is to answer with <paramref name="fault"/>.</summary>
        internal bool Take(SimulatedFault fault)
        {
            if (fault != Fault || fault == SimulatedFault.None)
            {
                return false;
            }

            while (true)
            {
                int left = Volatile.Read(ref _faultsLeft);
                if (left <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _faultsLeft, left - 1, left) == left)
                {
                    return true;
                }
            }
        }

        public override string ToString() => Fault == SimulatedFault.None ? "no fault" : $"{Fault} for {FaultsLeft} more request(s)";
    }
}
