using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>A snapshot of one request the fake received on a generation or download route.</summary>
/// <param name="Id">The request id, also sent as <c>x-request-id</c>.</param>
/// <param name="Target"><c>generate</c> or <c>download</c>.</param>
/// <param name="Authorization"><c>ok</c>, <c>missing</c> or <c>wrong</c>; the key itself is never stored.</param>
/// <param name="Body">The parsed JSON body, or null when the body was not JSON.</param>
/// <param name="BodyText">The raw body when it was not JSON, else null.</param>
/// <param name="Status">The status answered, or 0 when the connection was dropped before an answer.</param>
/// <param name="EventsSent">Server-sent events written (streaming only).</param>
/// <param name="HoldReleased">For a held answer: true if released, false if the hold timed out; else null.</param>
/// <param name="ReceivedAt">When the fake received the request (its own clock).</param>
/// <param name="Aborted">True when the client closed the connection before the answer was complete.</param>
/// <param name="UserAgent">The User-Agent header as sent, or null.</param>
/// <param name="Expect">The Expect header as sent (100-continue), or null.</param>
public sealed record RecordedRequest(
    string Id,
    string Target,
    string Method,
    string Path,
    string Query,
    string Authorization,
    string? ContentType,
    JsonElement? Body,
    string? BodyText,
    int Status,
    int EventsSent,
    bool? HoldReleased,
    DateTimeOffset ReceivedAt,
    bool Aborted = false,
    string? UserAgent = null,
    string? Expect = null);
