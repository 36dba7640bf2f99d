using Seedream.FakeApi;

namespace Seedream.Tests;

/// <summary>
/// Base of the test classes that talk to a fake Seedream API started in-process for each test: the server that
/// accepts <see cref="Key"/>, and a plain HttpClient (no proxy, no client time-out) for the code under test.
/// </summary>
public abstract class FakeServerTests : IAsyncLifetime
{
    protected FakeServerTests(string key) => Key = key;

    protected string Key { get; }

    protected FakeSeedreamServer Server { get; private set; } = null!;

    protected HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task InitializeAsync() => Server = await FakeSeedreamServer.StartAsync(new FakeServerOptions { ApiKeys = [Key] });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
