using System.Text;

namespace Seedream.FakeApi;

/// <summary>One request being answered: its id, its recording and the fault rule it consumed.</summary>
internal sealed class HttpExchange(HttpContext context, string requestId, RequestEntry entry, FaultRule? rule, ServerState state)
{
    public ServerState State { get; } = state;
    public HttpContext Context { get; } = context;
    public string RequestId { get; } = requestId;
    public RequestEntry Entry { get; } = entry;
    public FaultRule? Rule { get; } = rule;
    public CancellationToken Aborted => Context.RequestAborted;

    public const string RequestIdItem = "fake.request-id";

    public static string NewRequestId() => "req-" + Guid.NewGuid().ToString("N");

    public static string RequestIdOf(HttpContext context)
        => context.Items[RequestIdItem] as string ?? NewRequestId();

    /// <summary>Aborts the connection without an answer (recorded status stays 0).</summary>
    public void Drop() => Context.Abort();

    /// <summary>
    /// Flushes, lets the transport put the bytes on the wire, then aborts. Aborting at once would
    /// discard output still queued in Kestrel, and the client would see nothing at all.
    /// </summary>
    public async Task AbortAfterFlushAsync()
    {
        await Context.Response.Body.FlushAsync(Aborted);
        await Task.Delay(150, Aborted);
        Context.Abort();
    }

    /// <summary>
    /// Sends a complete body, or as the rule says: truncate (full Content-Length, about half the body, abort), chunked
    /// (no Content-Length), gzip (compressed, Content-Encoding: gzip), stallAfterBytes (part, then nothing until released).
    /// </summary>
    public async Task SendAsync(int status, string contentType, byte[] body)
    {
        var response = Context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (Rule is { Gzip: true })
        {
            using var compressed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(body);
            body = compressed.ToArray();
            response.Headers.ContentEncoding = "gzip";
        }
        if (Rule is not { Chunked: true }) response.ContentLength = body.Length;
        Entry.SetStatus(status);
        if (Rule is { Truncate: true })
        {
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), Aborted);
            await AbortAfterFlushAsync();
            return;
        }
        if (Rule is { StallAfterBytes: { } stall })
        {
            var first = Math.Min(Math.Max(0, stall), body.Length);
            await response.Body.WriteAsync(body.AsMemory(0, first), Aborted);
            await response.Body.FlushAsync(Aborted);
            Entry.SetHoldReleased(await State.Hold.WaitAsync(ServerState.HoldTimeout, Aborted));
            await response.Body.WriteAsync(body.AsMemory(first), Aborted);
            return;
        }
        await response.Body.WriteAsync(body, Aborted);
    }

    public Task SendErrorAsync(ApiError error)
        => SendAsync(error.Status, "application/json; charset=utf-8", error.ToJson(RequestId));

    /// <summary>Applies the parts of the rule that replace the normal answer. True when the answer was given.</summary>
    public async Task<bool> ApplyImmediateFaultAsync(string target)
    {
        if (Rule is null) return false;
        if (Rule.DelayMs is > 0) await Task.Delay(Rule.DelayMs.Value, Aborted);
        if (!Rule.AnswersImmediately) return false;

        if (Rule.Drop)
        {
            Drop();
            return true;
        }

        var response = Context.Response;
        if (Rule.RetryAfter is not null) response.Headers.RetryAfter = Rule.RetryAfter;
        if (Rule.RetryAfterMs is not null) response.Headers["retry-after-ms"] = Rule.RetryAfterMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Rule.RetryAfterMsText is not null) response.Headers["retry-after-ms"] = Rule.RetryAfterMsText;

        if (Rule.RedirectTo is not null)
        {
            response.Headers.Location = Rule.RedirectTo;
            await SendAsync(302, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("Found"));
            return true;
        }

        if (Rule.Body is not null)
        {
            await SendAsync(Rule.Status ?? 200, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(Rule.Body));
            return true;
        }

        if (Rule.Html)
        {
            var status = Rule.EffectiveStatus;
            var title = $"{status} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
            var html = $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
            await SendAsync(status, "text/html", Encoding.UTF8.GetBytes(html));
            return true;
        }

        if (Rule.Status is not null)
        {
            var code = Rule.EffectiveCode;
            await SendErrorAsync(new ApiError(Rule.Status.Value, code, Rule.Message ?? ApiError.DefaultMessageFor(code)));
            return true;
        }

        // Malformed: a 200 whose body cannot be used.
        if (target == FaultRule.DownloadTarget)
        {
            var path = Context.Request.Path.Value ?? "";
            var type = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg";
            await SendAsync(200, type, Encoding.ASCII.GetBytes("this is not an image"));
        }
        else
        {
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await SendAsync(200, "application/json; charset=utf-8",
                Encoding.UTF8.GetBytes($"{{\"model\":\"seedream\",\"created\":{created},\"data\":[{{\"url\":\"http://127.0.0.1/fi"));
        }
        return true;
    }
}
