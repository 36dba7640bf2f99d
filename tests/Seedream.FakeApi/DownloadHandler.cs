namespace Seedream.FakeApi;

/// <summary>Serves <c>GET /files/{id}.{png|jpg}</c>, the fake's stand-in for signed TOS links. No auth needed.</summary>
internal sealed class DownloadHandler(ServerState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        var requestId = HttpExchange.RequestIdOf(context);
        try
        {
            var entry = state.Recorder.Add(requestId, FaultRule.DownloadTarget, context.Request,
                state.CheckAuthorization(context.Request), null, null);
            var exchange = new HttpExchange(context, requestId, entry, state.Faults.Take(FaultRule.DownloadTarget), state);
            if (await exchange.ApplyImmediateFaultAsync(FaultRule.DownloadTarget)) return;

            var name = context.Request.RouteValues["name"] as string ?? "";
            var dot = name.LastIndexOf('.');
            var file = dot > 0 ? state.Files.Find(name[..dot]) : null;
            if (file is null || !string.Equals(name[(dot + 1)..], ImageFactory.Extension(file.Format), StringComparison.OrdinalIgnoreCase))
            {
                await exchange.SendErrorAsync(new ApiError(404, "NoSuchKey", "The specified key does not exist."));
                return;
            }
            await exchange.SendAsync(200, ImageFactory.ContentType(file.Format), file.Bytes);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }
}
