namespace Seedream.FakeApi;

/// <summary>Start-up options of the fake server.</summary>
public sealed class FakeServerOptions
{
    /// <summary>Bearer keys the fake accepts.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = ["test-key"];

    /// <summary>Loopback port to bind; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Delay before every generation answer.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Delay between server-sent events.</summary>
    public int StreamDelayMs { get; init; }

    /// <summary>Pads every generated image up to this many bytes (0 = no padding).</summary>
    public int ImagePaddingBytes { get; init; }
}

/// <summary>Run-time settings, changeable through <c>POST /_control/settings</c>.</summary>
public sealed record FakeServerSettings(int LatencyMs, int StreamDelayMs, int ImagePaddingBytes);
