using StarGuide.ServiceDefaults;
using Yarp.ReverseProxy.Health;

namespace StarGuide.Gateway.PassiveHealth;

internal static class PassiveHealthExtensions
{
    /// <summary>
    /// Registers <see cref="MaxFailsPolicy"/>; the proxy pipeline's <c>UsePassiveHealthChecks()</c> feeds it every
    /// attempt of the clusters whose passive health config names it.
    /// </summary>
    public static WebApplicationBuilder AddPassiveHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PassiveHealthOptions, PassiveHealthOptionsValidator>(PassiveHealthOptions.SectionName);
        builder.Services.AddSingleton<PassiveHealthMetrics>();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, MaxFailsPolicy>();
        return builder;
    }
}
