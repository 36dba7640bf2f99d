using System;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Seedream.Api
{
    /// <summary>
    /// Which failures are worth another attempt, and how long to wait before it: the server's hint
    /// (retry-after-ms, Retry-After as seconds or a date) when it gives one, else capped exponential backoff with jitter.
    /// </summary>
    public sealed class RetryPolicy
    {
        /// <summary>429 codes that will not clear by waiting.</summary>
        private static readonly string[] PermanentLimitCodes = { "QuotaExceeded", "SetLimitExceeded", "AccountOverdueError" };

        private readonly Func<double> _random;

        public RetryPolicy(int maxRetryCount = 2, Func<double>? random = null)
        {
            MaxRetryCount = maxRetryCount;
            _random = random ?? ThreadSafeRandom;
        }

        public int MaxRetryCount { get; }
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(0.5);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

        /// <summary>The longest a server hint is followed; a longer hint is cut to this.</summary>
        public TimeSpan MaxServerDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Whether an error answer may succeed when sent again. What the contract says never clears (400, 401, 403, 404,
        /// and 429 quota or spending limits) is never retried; after that the server's <c>x-should-retry</c> decides,
        /// and without it 408, 409, 429 and 5xx are retried.
        /// </summary>
        public static bool IsRetryable(int statusCode, string? errorCode, HttpResponseHeaders? headers = null)
        {
            if (IsPermanent(statusCode, errorCode))
            {
                return false;
            }

            if (headers != null && headers.TryGetValues("x-should-retry", out var values))
            {
                string hint = values.FirstOrDefault() ?? "";
                if (hint.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (hint.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500;
        }

        private static bool IsPermanent(int statusCode, string? errorCode) =>
            statusCode == 400 || statusCode == 401 || statusCode == 403 || statusCode == 404 ||
            (errorCode != null && PermanentLimitCodes.Contains(errorCode, StringComparer.OrdinalIgnoreCase));

        /// <summary>The longest server hint taken as said; a longer one (1e20 ms) is read as this before any conversion.</summary>
        public static readonly TimeSpan ServerHintCeiling = TimeSpan.FromDays(1);

        /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first retry).</summary>
        public TimeSpan GetDelay(int retry, HttpResponseHeaders? headers, DateTimeOffset now) => GetRetryDelay(retry, headers, now).Delay;

        /// <summary>The wait before retry number <paramref name="retry"/>, with what the server asked for and whether it was cut.</summary>
        public RetryDelay GetRetryDelay(int retry, HttpResponseHeaders? headers, DateTimeOffset now)
        {
            TimeSpan? hint = ServerHint(headers, now);
            if (hint is TimeSpan fromServer)
            {
                return fromServer > MaxServerDelay
                    ? new RetryDelay(MaxServerDelay, fromServer, capped: true)
                    : new RetryDelay(fromServer, fromServer, capped: false);
            }

            double backoff = Math.Min(InitialDelay.TotalMilliseconds * Math.Pow(2, retry - 1), MaxDelay.TotalMilliseconds);
            double jitter = 1 - (0.25 * _random());
            return new RetryDelay(TimeSpan.FromMilliseconds(backoff * jitter), null, capped: false);
        }

        /// <summary>
        /// retry-after-ms, else Retry-After (delta seconds or an HTTP date); null when neither is usable. A value that is
        /// not a finite number of milliseconds (NaN, Infinity, negative) is ignored; a huge one is read as
        /// <see cref="ServerHintCeiling"/> before it is converted, so it never overflows.
        /// </summary>
        public static TimeSpan? ServerHint(HttpResponseHeaders? headers, DateTimeOffset now)
        {
            if (headers is null)
            {
                return null;
            }

            if (headers.TryGetValues("retry-after-ms", out var msValues) &&
                double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) &&
                !double.IsNaN(ms) && !double.IsInfinity(ms) && ms >= 0)
            {
                return ms >= ServerHintCeiling.TotalMilliseconds ? ServerHintCeiling : TimeSpan.FromMilliseconds(ms);
            }

            RetryConditionHeaderValue? retryAfter = headers.RetryAfter;
            if (retryAfter?.Delta is TimeSpan delta && delta >= TimeSpan.Zero)
            {
                return delta > ServerHintCeiling ? ServerHintCeiling : delta;
            }

            if (retryAfter?.Date is DateTimeOffset date)
            {
                TimeSpan wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > ServerHintCeiling ? ServerHintCeiling : wait;
            }

            return null;
        }

        private static readonly ThreadLocal<Random> Randoms = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        private static double ThreadSafeRandom() => Randoms.Value!.NextDouble();
    }

    /// <summary>A retry's wait: how long, what the server asked for (if it said), and whether that was cut to the cap.</summary>
    public readonly struct RetryDelay
    {
        public RetryDelay(TimeSpan delay, TimeSpan? serverAsked, bool capped)
        {
            Delay = delay;
            ServerAsked = serverAsked;
            Capped = capped;
        }

        public TimeSpan Delay { get; }

        /// <summary>The wait the server asked for (retry-after-ms or Retry-After), read at most as <see cref="RetryPolicy.ServerHintCeiling"/>.</summary>
        public TimeSpan? ServerAsked { get; }

        /// <summary>True when the server asked for longer than <see cref="RetryPolicy.MaxServerDelay"/> and the wait was cut to it.</summary>
        public bool Capped { get; }

        /// <summary>"; the server asked to wait ..., cut to ..." when the wait was cut, else empty: for retry notices.</summary>
        public string CapNote => Capped && ServerAsked is TimeSpan asked
            ? $"; the server asked to wait {Describe(asked)}, cut to {Delay.TotalSeconds:0.#} s"
            : "";

        /// <summary>A wait as people read it; the ceiling reads "24 hours or more".</summary>
        public static string Describe(TimeSpan wait) =>
            wait >= RetryPolicy.ServerHintCeiling ? "24 hours or more" : $"{wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
    }

    /// <summary>
    /// A pause shared by every request of one command: when one is told to slow down (429),
    /// the others wait too instead of hammering the limit and failing.
    /// </summary>
    public sealed class SharedBackoff
    {
        private long _resumeAtTicks;

        public void PauseFor(TimeSpan delay)
        {
            long target = DateTime.UtcNow.Add(delay).Ticks;
            long current;
            do
            {
                current = Interlocked.Read(ref _resumeAtTicks);
                if (current >= target)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _resumeAtTicks, target, current) != current);
        }

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait = new DateTime(Interlocked.Read(ref _resumeAtTicks), DateTimeKind.Utc) - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero)
                {
                    return;
                }

                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
