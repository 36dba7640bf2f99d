using Seedream.Api;

namespace Seedream.Tests;

public sealed class HttpClientCacheTests
{
    [Fact]
    public void WindowsPowerShellHandler_AllowsMoreThanTwoConnectionsPerHost()
    {
        using HttpClientHandler handler = HttpClientCache.CreateClientHandler(new ConnectionSettings(), proxy: null);
        Assert.Equal(HttpClientCache.MaxConnectionsPerServer, handler.MaxConnectionsPerServer);
        Assert.True(handler.MaxConnectionsPerServer > 2);
    }
}
