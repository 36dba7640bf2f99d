namespace Seedream.FakeApi;

/// <summary>The queue of scripted faults; each request takes the first rule for its target.</summary>
internal sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<(FaultRule Rule, int Remaining)> _queue = [];

    public void Add(IEnumerable<FaultRule> rules)
    {
        lock (_gate)
            foreach (var rule in rules)
                _queue.Add((rule, Math.Max(1, rule.Times)));
    }

    public void Clear()
    {
        lock (_gate) _queue.Clear();
    }

    public int Pending
    {
        get { lock (_gate) return _queue.Sum(q => q.Remaining); }
    }

    /// <summary>Consumes one use of the first rule matching <paramref name="target"/> (and <paramref name="prompt"/>, for rules that name one), if any.</summary>
    public FaultRule? Take(string target, string? prompt = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var (rule, remaining) = _queue[i];
                if (!string.Equals(rule.Target, target, StringComparison.OrdinalIgnoreCase)) continue;
                if (rule.Prompt != null && rule.Prompt != prompt) continue;
                if (remaining <= 1) _queue.RemoveAt(i);
                else _queue[i] = (rule, remaining - 1);
                return rule;
            }
            return null;
        }
    }
}
