using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Seedream.FakeApi;

/// <summary>
/// A fake Seedream image API on loopback, one route per provider (the fake tells providers apart by path, as clients
/// do by host): <c>/v1</c> APIYI, <c>/api/v3</c> BytePlus, <c>/volcengine/api/v3</c> Volcengine, each with
/// <c>POST images/generations</c> (that provider's ids and limits, from <see cref="ModelCatalog"/>) and, on the two Ark
/// routes, <c>GET models</c>; signed-looking download links under <c>/files/</c>, and <c>/_control/*</c> routes to
/// script faults and read recordings.
/// </summary>
public sealed class FakeSeedreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerState _state;
    private readonly TaskCompletionSource _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private FakeSeedreamServer(WebApplication app, ServerState state, Uri root)
    {
        _app = app;
        _state = state;
        Root = root;
        ApiV1 = new Uri(root, "v1");
        ApiV3 = new Uri(root, "api/v3");
        ApiVolcengine = new Uri(root, "volcengine/api/v3");
    }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri Root { get; }

    /// <summary><see cref="Root"/> + <c>v1</c>, the APIYI-style base URL.</summary>
    public Uri ApiV1 { get; }

    /// <summary><see cref="Root"/> + <c>api/v3</c>, the BytePlus base URL.</summary>
    public Uri ApiV3 { get; }

    /// <summary><see cref="Root"/> + <c>volcengine/api/v3</c>, the Volcengine base URL.</summary>
    public Uri ApiVolcengine { get; }

    /// <summary>Generation and download requests received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Recorder.Snapshot();

    /// <summary>The current run-time settings.</summary>
    public FakeServerSettings Settings => _state.Settings;

    /// <summary>Completes when <c>POST /_control/shutdown</c> was answered.</summary>
    public Task ShutdownRequested => _shutdownRequested.Task;

    /// <summary>Clears recorded requests, queued faults, held streams and settings.</summary>
    public void Reset() => _state.Reset();

    /// <summary>Appends fault rules to the queue.</summary>
    public void AddFaults(params FaultRule[] rules) => _state.Faults.Add(rules);

    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>Merges the given settings; null leaves a setting unchanged.</summary>
    public FakeServerSettings UpdateSettings(int? latencyMs = null, int? streamDelayMs = null, int? imagePaddingBytes = null)
        => _state.UpdateSettings(latencyMs, streamDelayMs, imagePaddingBytes);

    /// <summary>What the answers state instead of echoing the request (size, created, stream naming); reset by <see cref="Reset"/>.</summary>
    public AnswerChoices Answers { get => _state.Answers; set => _state.Answers = value; }

    /// <summary>Releases a stream held by a <c>holdAfterEvents</c> rule.</summary>
    public void ReleaseHeldStream() => _state.Hold.Release();

    public static async Task<FakeSeedreamServer> StartAsync(FakeServerOptions? options = null)
    {
        options ??= new FakeServerOptions();
        var state = new ServerState(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeSeedreamServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.WebHost.SuppressStatusMessages(true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 512L * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });

        var app = builder.Build();
        FakeSeedreamServer? server = null;

        app.Use(async (context, next) =>
        {
            var id = HttpExchange.NewRequestId();
            context.Items[HttpExchange.RequestIdItem] = id;
            context.Response.Headers["x-request-id"] = id;
            await next(context);
        });

        var generation = new GenerationHandler(state);
        var models = new ModelsHandler(state);
        foreach (var (prefix, route) in new[] { ("/v1", ProviderRoute.Apiyi), ("/api/v3", ProviderRoute.BytePlus), ("/volcengine/api/v3", ProviderRoute.Volcengine) })
        {
            app.MapPost(prefix + "/images/generations", (RequestDelegate)(ctx => generation.HandleAsync(ctx, route)));
            if (route != ProviderRoute.Apiyi) app.MapGet(prefix + "/models", (RequestDelegate)(ctx => models.HandleAsync(ctx, route)));
        }

        var download = new DownloadHandler(state);
        app.MapGet("/files/{name}", (RequestDelegate)download.HandleAsync);

        new ControlRoutes(state, () => server?.OnShutdownRequested()).Map(app);

        app.MapFallback((RequestDelegate)(ctx =>
        {
            var error = new ApiError(404, "InvalidEndpointOrModel.NotFound", $"No route for {ctx.Request.Method} {ctx.Request.Path}.");
            var body = error.ToJson(HttpExchange.RequestIdOf(ctx));
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "application/json; charset=utf-8";
            ctx.Response.ContentLength = body.Length;
            return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
        }));

        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("Kestrel reported no address.");
        var port = new Uri(address).Port;
        server = new FakeSeedreamServer(app, state, new Uri($"http://127.0.0.1:{port}/"));
        return server;
    }

    private void OnShutdownRequested()
    {
        _shutdownRequested.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _state.Hold.Reset();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Keeps the host from hooking Ctrl+C or printing to the console; the caller decides when to stop.</summary>
    private sealed class QuietHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
