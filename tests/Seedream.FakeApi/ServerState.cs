namespace Seedream.FakeApi;

/// <summary>Everything the request handlers share: keys, settings, recordings, faults, files, images.</summary>
internal sealed class ServerState
{
    private readonly object _settingsGate = new();
    private readonly FakeServerSettings _initialSettings;
    private FakeServerSettings _settings;

    public ServerState(FakeServerOptions options)
    {
        ApiKeys = options.ApiKeys.ToHashSet(StringComparer.Ordinal);
        _initialSettings = new FakeServerSettings(
            Math.Max(0, options.LatencyMs), Math.Max(0, options.StreamDelayMs), Math.Max(0, options.ImagePaddingBytes));
        _settings = _initialSettings;
    }

    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(15);

    public IReadOnlySet<string> ApiKeys { get; }
    public RequestRecorder Recorder { get; } = new();
    public FaultPlan Faults { get; } = new();
    public FileStore Files { get; } = new();
    public ImageFactory Images { get; } = new();
    public HoldGate Hold { get; } = new();

    /// <summary>What the answers state instead of echoing the request (<c>/_control/answers</c>).</summary>
    public AnswerChoices Answers { get => Volatile.Read(ref _answers); set => Volatile.Write(ref _answers, value); }
    private AnswerChoices _answers = AnswerChoices.Default;

    public FakeServerSettings Settings
    {
        get { lock (_settingsGate) return _settings; }
    }

    public FakeServerSettings UpdateSettings(int? latencyMs, int? streamDelayMs, int? imagePaddingBytes)
    {
        lock (_settingsGate)
        {
            _settings = new FakeServerSettings(
                Math.Max(0, latencyMs ?? _settings.LatencyMs),
                Math.Max(0, streamDelayMs ?? _settings.StreamDelayMs),
                Math.Max(0, imagePaddingBytes ?? _settings.ImagePaddingBytes));
            return _settings;
        }
    }

    /// <summary>Clears recordings, faults, held streams and settings (files stay downloadable).</summary>
    public void Reset()
    {
        Recorder.Clear();
        Faults.Clear();
        Hold.Reset();
        lock (_settingsGate) _settings = _initialSettings;
        Answers = AnswerChoices.Default;
    }

    /// <summary><c>ok</c>, <c>missing</c> or <c>wrong</c> for the request's Authorization header.</summary>
    public string CheckAuthorization(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count == 0 || string.IsNullOrEmpty(values[0])) return "missing";
        var value = values[0]!;
        const string scheme = "Bearer ";
        if (values.Count == 1 && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && ApiKeys.Contains(value[scheme.Length..].Trim()))
            return "ok";
        return "wrong";
    }
}
