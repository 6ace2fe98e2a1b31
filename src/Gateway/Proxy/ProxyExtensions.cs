using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;

namespace StarGuide.Gateway.Proxy;

internal static class ProxyExtensions
{
    public static WebApplicationBuilder AddGatewayProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy();
        // In-memory config so that pool events can swap destinations later without a reload.
        builder.Services.AddSingleton(sp =>
        {
            var pools = sp.GetRequiredService<IOptions<PoolsOptions>>().Value;
            return new InMemoryConfigProvider(
                PoolRoutes.Routes(pools), PoolRoutes.Clusters(pools));
        });
        builder.Services.AddSingleton<IProxyConfigProvider>(
            sp => sp.GetRequiredService<InMemoryConfigProvider>());
        return builder;
    }
}
