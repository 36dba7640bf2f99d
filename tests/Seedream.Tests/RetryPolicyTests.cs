using System.Net;
using System.Net.Http.Headers;
using Seedream.Api;

namespace Seedream.Tests;

public sealed class RetryPolicyTests
{
    private static HttpResponseHeaders Headers(params (string Name, string Value)[] values)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in values)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(409, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void RetriesOnlyTransientStatuses(int status, bool retryable)
    {
        Assert.Equal(retryable, RetryPolicy.IsRetryable(status, null));
    }

    [Theory]
    [InlineData("QuotaExceeded")]
    [InlineData("SetLimitExceeded")]
    [InlineData("AccountOverdueError")]
    public void LimitsThatDoNotClearByWaiting_AreNotRetried(string code)
    {
        Assert.False(RetryPolicy.IsRetryable(429, code));
        Assert.True(RetryPolicy.IsRetryable(429, "RateLimitExceeded.EndpointRPMExceeded"));
    }

    [Fact]
    public void ServerShouldRetryHeader_DecidesOnlyWhatTheContractLeavesOpen()
    {
        Assert.False(RetryPolicy.IsRetryable(503, null, Headers(("x-should-retry", "false"))));
        Assert.False(RetryPolicy.IsRetryable(429, "RateLimitExceeded.EndpointRPMExceeded", Headers(("x-should-retry", "false"))));
        Assert.True(RetryPolicy.IsRetryable(418, null, Headers(("x-should-retry", "true"))));
        Assert.True(RetryPolicy.IsRetryable(503, null, Headers(("x-should-retry", "true"))));
    }

    [Theory]
    [InlineData(400, null)]
    [InlineData(401, null)]
    [InlineData(403, null)]
    [InlineData(404, null)]
    [InlineData(429, "QuotaExceeded")]
    [InlineData(429, "SetLimitExceeded")]
    [InlineData(403, "AccountOverdueError")]
    public void ServerShouldRetryHeader_CannotRetryWhatMustNeverBeRetried(int status, string? code)
    {
        Assert.False(RetryPolicy.IsRetryable(status, code, Headers(("x-should-retry", "true"))));
    }

    [Fact]
    public void RetryAfterMs_IsPreferredOverRetryAfter()
    {
        var policy = new RetryPolicy(2, () => 0);
        TimeSpan delay = policy.GetDelay(1, Headers(("retry-after-ms", "250"), ("Retry-After", "30")), DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.FromMilliseconds(250), delay);
    }

    [Fact]
    public void RetryAfter_InSeconds_AndAsHttpDate()
    {
        var policy = new RetryPolicy(2, () => 0);
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(3), policy.GetDelay(1, Headers(("Retry-After", "3")), now));
        Assert.Equal(TimeSpan.FromSeconds(7), policy.GetDelay(1, Headers(("Retry-After", now.AddSeconds(7).ToString("r"))), now));
        Assert.Equal(TimeSpan.Zero, policy.GetDelay(1, Headers(("Retry-After", now.AddSeconds(-7).ToString("r"))), now));
    }

    [Fact]
    public void ServerHint_IsCapped()
    {
        var policy = new RetryPolicy(2, () => 0) { MaxServerDelay = TimeSpan.FromSeconds(60) };
        Assert.Equal(TimeSpan.FromSeconds(60), policy.GetDelay(1, Headers(("Retry-After", "3600")), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Backoff_DoublesWithJitter_AndIsCapped()
    {
        var noJitter = new RetryPolicy(5, () => 0) { InitialDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(8) };
        Assert.Equal(TimeSpan.FromMilliseconds(500), noJitter.GetDelay(1, null, DateTimeOffset.UtcNow));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), noJitter.GetDelay(2, null, DateTimeOffset.UtcNow));
        Assert.Equal(TimeSpan.FromMilliseconds(2000), noJitter.GetDelay(3, null, DateTimeOffset.UtcNow));
        Assert.Equal(TimeSpan.FromSeconds(8), noJitter.GetDelay(10, null, DateTimeOffset.UtcNow));

        var fullJitter = new RetryPolicy(5, () => 1) { InitialDelay = TimeSpan.FromMilliseconds(500) };
        Assert.Equal(TimeSpan.FromMilliseconds(375), fullJitter.GetDelay(1, null, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task SharedBackoff_MakesOtherRequestsWait_AndHonoursCancellation()
    {
        var backoff = new SharedBackoff();
        await backoff.WaitAsync(CancellationToken.None); // nothing paused: returns at once

        backoff.PauseFor(TimeSpan.FromMinutes(5));
        backoff.PauseFor(TimeSpan.FromMilliseconds(1)); // a shorter pause does not shorten the longer one
        using var cancel = new CancellationTokenSource();
        Task waiting = backoff.WaitAsync(cancel.Token);
        Assert.False(waiting.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
