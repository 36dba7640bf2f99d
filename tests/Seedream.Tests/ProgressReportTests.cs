using Seedream.Commands;

namespace Seedream.Tests;

/// <summary>The progress bar's timing, percentage floor and retry-wait note, on a clock the test moves.</summary>
public class ProgressReportTests
{
    private DateTime _now = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    private ProgressReport NewReport() => new(() => _now);

    [Fact]
    public void Writes_at_once_then_at_most_once_a_quarter_second()
    {
        ProgressReport report = NewReport();
        Assert.True(report.TryStartWrite());
        Assert.False(report.TryStartWrite());
        _now += TimeSpan.FromMilliseconds(249);
        Assert.False(report.TryStartWrite());
        _now += TimeSpan.FromMilliseconds(1);
        Assert.True(report.TryStartWrite());
        Assert.False(report.TryStartWrite());
    }

    [Fact]
    public void Forty_requests_started_within_one_interval_write_one_record()
    {
        ProgressReport report = NewReport();
        int written = 0;
        for (int request = 0; request < 40; request++)
        {
            written += report.TryStartWrite() ? 1 : 0;
            _now += TimeSpan.FromMilliseconds(5);
        }

        Assert.Equal(1, written);
    }

    [Fact]
    public void The_percentage_never_goes_back_and_stays_below_100_until_completed()
    {
        ProgressReport report = NewReport();
        Assert.False(report.Shown);
        Assert.Equal(50, report.Compose("s", 50).Percent);
        Assert.True(report.Shown);
        Assert.Equal(50, report.Compose("s", 25).Percent); // more work arrived: held, not lowered
        Assert.Equal(99, report.Compose("s", 100).Percent);
        Assert.Equal(99, report.Compose("s", 140).Percent);
        Assert.Equal(99, report.Compose("s", -5).Percent);
    }

    [Fact]
    public void A_retry_wait_shows_counting_down_until_it_is_over()
    {
        ProgressReport report = NewReport();
        report.NoteWait(TimeSpan.FromSeconds(30), "rate limited");
        Assert.Equal("2 of 3 done; waiting 30 s: rate limited", report.Compose("2 of 3 done", 10).Status);
        _now += TimeSpan.FromSeconds(10.5);
        Assert.Equal("2 of 3 done; waiting 20 s: rate limited", report.Compose("2 of 3 done", 10).Status);
        _now += TimeSpan.FromSeconds(20);
        Assert.Equal("2 of 3 done", report.Compose("2 of 3 done", 10).Status);
    }

    [Theory]
    [InlineData("HTTP 429 RateLimitExceeded.EndpointRPMExceeded", "rate limited")]
    [InlineData("HTTP 429", "rate limited")]
    [InlineData("HTTP 503 ServerOverloaded", "server error (HTTP 503)")]
    [InlineData("HTTP 502", "server error (HTTP 502)")]
    [InlineData("connection failed: no route to host", "connection failed")]
    [InlineData("the download broke off: reset by peer", "the download broke off")]
    [InlineData("HTTP 408", "HTTP 408")]
    public void A_wait_is_told_in_a_few_words(string reason, string expected) =>
        Assert.Equal(expected, ProgressReport.ShortReason(reason));
}
