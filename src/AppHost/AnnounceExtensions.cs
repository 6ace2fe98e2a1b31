using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StarGuide.AppHost;

internal static class AnnounceExtensions
{
    /// <summary>Says on the console where to point a browser once every resource has been created.</summary>
    public static void AnnounceAddresses(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var dashboard = builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0];
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StarGuide");
            var hasDashboard = e.Model.Resources.Any(r => r.Name == "aspire-dashboard");
            logger.LogInformation(
                "StarGuide Edge gateway: http://localhost:{GatewayPort}/  dashboard: {Dashboard}",
                settings.GatewayPort, hasDashboard && dashboard is not null ? dashboard : "(off)");
            return Task.CompletedTask;
        });
    }
}
