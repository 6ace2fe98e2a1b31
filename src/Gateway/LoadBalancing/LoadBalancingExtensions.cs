using Yarp.ReverseProxy.LoadBalancing;

namespace StarGuide.Gateway.LoadBalancing;

internal static class LoadBalancingExtensions
{
    /// <summary>Registers <see cref="WeightedLeastRequestsPolicy"/> beside YARP's own policies.</summary>
    public static WebApplicationBuilder AddWeightedLoadBalancing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILoadBalancingPolicy, WeightedLeastRequestsPolicy>();
        return builder;
    }
}
