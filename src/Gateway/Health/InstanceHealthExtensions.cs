using Yarp.ReverseProxy.Health;

namespace StarGuide.Gateway.Health;

internal static class InstanceHealthExtensions
{
    public static WebApplicationBuilder AddInstanceHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InstanceHealthRegistry>();
        builder.Services.AddSingleton<InstanceHealthUpdater>();
        builder.Services.AddSingleton<EventDrivenDestinationsPolicy>();
        builder.Services.AddSingleton<IAvailableDestinationsPolicy>(sp => sp.GetRequiredService<EventDrivenDestinationsPolicy>());
        builder.Services.AddSingleton<InstanceHealthMetrics>();
        return builder;
    }
}
