namespace Seedream.FakeApi;

/// <summary>Holds streams mid-way until <c>POST /_control/release</c>. A release with nobody waiting is kept for the next hold.</summary>
internal sealed class HoldGate
{
    private readonly object _gate = new();
    private TaskCompletionSource _release = NewSource();
    private int _waiting;
    private int _pendingReleases;

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for a release; true if released, false on timeout.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        Task released;
        lock (_gate)
        {
            if (_pendingReleases > 0)
            {
                _pendingReleases--;
                return true;
            }
            _waiting++;
            released = _release.Task;
        }
        try
        {
            var winner = await Task.WhenAny(released, Task.Delay(timeout, cancellation)).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            return winner == released;
        }
        finally
        {
            lock (_gate) _waiting--;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            if (_waiting == 0)
            {
                _pendingReleases++;
                return;
            }
            _release.TrySetResult();
            _release = NewSource();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _pendingReleases = 0;
            _release.TrySetResult();
            _release = NewSource();
        }
    }
}
