namespace Seedream.FakeApi;

/// <summary>
/// One scripted misbehaviour, consumed by the next <see cref="Times"/> requests on <see cref="Target"/>.
/// Mirrors the JSON accepted by <c>POST /_control/faults</c>.
/// </summary>
public sealed class FaultRule
{
    public const string GenerateTarget = "generate";
    public const string DownloadTarget = "download";

    /// <summary><c>generate</c> (default) or <c>download</c>.</summary>
    public string Target { get; init; } = GenerateTarget;

    /// <summary>How many matching requests consume this rule.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Answer with this status and the documented error body.</summary>
    public int? Status { get; init; }

    /// <summary>Error code (defaults by status; for error slots OutputImageSensitiveContentDetected).</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }

    /// <summary>Raw <c>Retry-After</c> header value (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Value of the <c>retry-after-ms</c> header.</summary>
    public int? RetryAfterMs { get; init; }

    /// <summary>Delay before the rest of the rule (or before the normal answer).</summary>
    public int? DelayMs { get; init; }

    /// <summary>Abort the connection before anything is sent.</summary>
    public bool Drop { get; init; }

    /// <summary>Send 200 headers with the full Content-Length, about half the body, then abort.</summary>
    public bool Truncate { get; init; }

    /// <summary>200 with a broken body.</summary>
    public bool Malformed { get; init; }

    /// <summary>An HTML error page (text/html) with <see cref="Status"/> (default 502).</summary>
    public bool Html { get; init; }

    /// <summary>Indexes of <c>data[]</c> slots (or streamed images) that fail.</summary>
    public IReadOnlyList<int>? ErrorSlots { get; init; }

    /// <summary>Streaming: send an <c>error</c> event after <see cref="CutAfterEvents"/> (or zero) events, then end.</summary>
    public bool ErrorEvent { get; init; }

    /// <summary>Streaming: abort after this many events, before <c>completed</c>.</summary>
    public int? CutAfterEvents { get; init; }

    /// <summary>
    /// Streaming: after this many events wait for <c>POST /_control/release</c> (or 15 s). Unstreamed (any value): the
    /// same wait before the answer is sent.
    /// </summary>
    public int? HoldAfterEvents { get; init; }

    /// <summary>Send 200 headers and this many bytes of the body, then nothing until <c>POST /_control/release</c> (or 15 s), then the rest.</summary>
    public int? StallAfterBytes { get; init; }

    /// <summary>Send the body without Content-Length (chunked); with <see cref="Truncate"/> the client cannot tell the cut from the length.</summary>
    public bool Chunked { get; init; }

    /// <summary>Answer 302 with this Location (any scheme: file:// included).</summary>
    public string? RedirectTo { get; init; }

    /// <summary>A raw <c>retry-after-ms</c> value (<c>1e20</c>, <c>Infinity</c>): takes the place of <see cref="RetryAfterMs"/>.</summary>
    public string? RetryAfterMsText { get; init; }

    /// <summary>Answer 200 (or <see cref="Status"/>) with this JSON body as is: a root error, an empty data[], no created.</summary>
    public string? Body { get; init; }

    /// <summary>Unstreamed answers: add an unknown root field <c>"padding"</c> holding a string of this many bytes.</summary>
    public int? PadBytes { get; init; }

    /// <summary>Send the answer gzip-compressed (Content-Encoding: gzip).</summary>
    public bool Gzip { get; init; }

    /// <summary>Streams: the line ending of the events, <c>lf</c> (default), <c>crlf</c> or <c>cr</c>.</summary>
    public string? LineEnding { get; init; }

    /// <summary>Generate only: the rule applies only to requests with exactly this prompt (others pass it by), so a batch's faults do not depend on arrival order.</summary>
    public string? Prompt { get; init; }

    internal bool AnswersImmediately => Drop || Html || Malformed || Status is not null || RedirectTo is not null || Body is not null;

    internal int EffectiveStatus => Status ?? (Html ? 502 : 500);

    internal string EffectiveCode => Code ?? ApiError.DefaultCodeFor(EffectiveStatus);
}
