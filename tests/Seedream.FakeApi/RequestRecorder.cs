using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>A request being answered; its outcome fields are filled in as the answer goes out.</summary>
internal sealed class RequestEntry
{
    private readonly object _gate;

    public RequestEntry(object gate, RecordedRequest initial)
    {
        _gate = gate;
        Snapshot = initial;
    }

    public RecordedRequest Snapshot { get; private set; }

    public void SetStatus(int status)
    {
        lock (_gate) Snapshot = Snapshot with { Status = status };
    }

    public void CountEvent()
    {
        lock (_gate) Snapshot = Snapshot with { EventsSent = Snapshot.EventsSent + 1 };
    }

    public void SetHoldReleased(bool released)
    {
        lock (_gate) Snapshot = Snapshot with { HoldReleased = released };
    }

    public void SetAborted()
    {
        lock (_gate) Snapshot = Snapshot with { Aborted = true };
    }
}

/// <summary>Thread-safe log of the generation and download requests, oldest first.</summary>
internal sealed class RequestRecorder
{
    private readonly object _gate = new();
    private readonly List<RequestEntry> _entries = [];

    public RequestEntry Add(string id, string target, HttpRequest request, string authorization, JsonElement? body, string? bodyText)
    {
        var snapshot = new RecordedRequest(
            id, target, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            authorization, request.ContentType, body, bodyText, 0, 0, null, DateTimeOffset.UtcNow,
            UserAgent: request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null,
            Expect: request.Headers.Expect.Count > 0 ? request.Headers.Expect.ToString() : null);
        lock (_gate)
        {
            var entry = new RequestEntry(_gate, snapshot);
            _entries.Add(entry);
            return entry;
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate) return _entries.Select(e => e.Snapshot).ToArray();
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }
}
