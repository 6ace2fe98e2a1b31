using Microsoft.Extensions.Options;
using StarGuide.Gateway.AccessLog;
using StarGuide.Gateway.ClientAddress;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Proxy.Upstream;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Routing;
using StarGuide.Gateway.Security;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Proxy;

internal static class ProxyExtensions
{
    public static WebApplicationBuilder AddGatewayProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .AddClientAddressTransforms()
            .AddUpstreamTimingTransforms()
            .AddServerHeaderRemoval()
            .AddTransforms<SpaFallbackTransformProvider>()
            .AddTransforms<TryTimeoutTransformProvider>();
        // The upstream connections: each pool's connect timeout, connect timing for the access log (Proxy/Upstream/).
        builder.Services.AddSingleton<IForwarderHttpClientFactory, TimedConnectHttpClientFactory>();
        builder.Services.AddValidatedOptions<GatewayPoolsOptions, GatewayPoolsOptionsValidator>(GatewayPoolsOptions.SectionName);
        // In-memory config so that pool events can swap destinations later without a reload.
        builder.Services.AddSingleton(sp =>
        {
            var pools = sp.GetRequiredService<IOptions<PoolsOptions>>().Value;
            var settings = sp.GetRequiredService<IOptions<GatewayPoolsOptions>>().Value;
            var routes = sp.GetRequiredService<IOptions<GatewayRoutesOptions>>().Value;
            return new InMemoryConfigProvider(RouteTable.Build(routes), PoolClusters.Build(pools, settings, routes));
        });
        builder.Services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<InMemoryConfigProvider>());
        return builder;
    }

    /// <summary>
    /// The request path: client address first (everything after depends on it), then YARP's routing; inside the
    /// proxy pipeline the route's access rule, cache headers and rate limit, then load balancing and forwarding.
    /// </summary>
    public static WebApplication UseGatewayProxy(this WebApplication app)
    {
        app.UseClientAddress();
        app.UseMiddleware<AccessLogMiddleware>();
        app.UseRouting();
        app.UseRequestTimeouts();
        // Created now: an observable gauge reports only once its meter exists.
        _ = app.Services.GetRequiredService<Health.InstanceHealthMetrics>();
        var rateLimits = app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled;
        if (rateLimits)
        {
            // Connected now so that a slow or absent Redis delays the start, not the first request.
            _ = app.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        }
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RoutePolicyMiddleware>();
            // Load balancing picks the instance; retries wrap the attempt so that a failed one can go to another
            // instance; passive health sits inside retries so every attempt counts against the instance that made it.
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UseRetries();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<UpstreamTimingMiddleware>();
        });
        return app;
    }
}
