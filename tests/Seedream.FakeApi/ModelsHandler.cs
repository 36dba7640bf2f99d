using System.Buffers;
using System.Text.Json;

namespace Seedream.FakeApi;

/// <summary>
/// Answers <c>GET {api/v3|volcengine/api/v3}/models</c> as the contract describes it: <c>{"data":[{"id","name","created",
/// "status"?,"task_type"}]}</c>, status Shutdown or Retiring and absent while live; aliases are not listed. Recorded with
/// target <c>models</c>; a wrong key answers 401.
/// </summary>
internal sealed class ModelsHandler(ServerState state)
{
    public const string Target = "models";
    private const long Created = 1_764_547_200; // 2025-12-01: fixed, so the answer is the same on every run

    public async Task HandleAsync(HttpContext context, ProviderRoute route)
    {
        var requestId = HttpExchange.RequestIdOf(context);
        var authorization = state.CheckAuthorization(context.Request);
        var entry = state.Recorder.Add(requestId, Target, context.Request, authorization, null, null);
        var exchange = new HttpExchange(context, requestId, entry, state.Faults.Take(Target), state);
        if (await exchange.ApplyImmediateFaultAsync(Target)) return;
        if (authorization != "ok")
        {
            await exchange.SendErrorAsync(new ApiError(401, "AuthenticationError", ApiError.DefaultMessageFor("AuthenticationError")));
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var (id, status, task) in ModelCatalog.Listing(route))
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("name", id);
                w.WriteNumber("created", Created);
                if (status is not null) w.WriteString("status", status);
                w.WriteStartArray("task_type");
                w.WriteStringValue(task);
                w.WriteEndArray();
                w.WriteString("version", id[(id.LastIndexOf('-') + 1)..]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await exchange.SendAsync(200, "application/json; charset=utf-8", buffer.WrittenSpan.ToArray());
    }
}
