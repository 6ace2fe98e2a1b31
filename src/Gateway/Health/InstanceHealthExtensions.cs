using Yarp.ReverseProxy.Health;

namespace StarGuide.Gateway.Health;

internal static class InstanceHealthExtensions
{
    public static WebApplicationBuilder AddInstanceHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InstanceHealthRegistry>();
        builder.Services.AddSingleton<InstanceHealthUpdater>();
        builder.Services.AddSingleton<IAvailableDestinationsPolicy, EventDrivenDestinationsPolicy>();
        builder.Services.AddSingleton<InstanceHealthMetrics>();
        return builder;
    }
}
