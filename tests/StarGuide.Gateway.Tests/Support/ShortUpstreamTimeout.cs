using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>Gives every cluster a short upstream activity timeout, so that a silent upstream makes the proxy answer 504.</summary>
public sealed class ShortUpstreamTimeout : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) =>
        new(cluster with { HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMilliseconds(300) } });

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        new(route);
}
