using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StarGuide.AppHost.Management;

namespace StarGuide.AppHost;

internal static class AnnounceExtensions
{
    /// <summary>Says on the console where to point a browser once every resource has been created.</summary>
    public static void AnnounceAddresses(this IDistributedApplicationBuilder builder, AppHostSettings settings, RunTokens tokens)
    {
        var dashboard = builder.Configuration["ASPNETCORE_URLS"]?.Split(';')[0];
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StarGuide");
            var hasDashboard = e.Model.Resources.Any(r => r.Name == "aspire-dashboard");
            logger.LogInformation(
                "StarGuide Edge gateway: http://localhost:{GatewayPort}/  dashboard: {Dashboard}",
                settings.GatewayPort, hasDashboard && dashboard is not null ? dashboard : "(off)");
            // The read token only, in a link for this machine's browser; the operate token stays in its file.
            logger.LogInformation(
                "Status page: http://localhost:{ScalerPort}/status?token={ViewerToken}  operator token: {OperatorFile} "
                + "(curl -H \"Authorization: Bearer $(cat {OperatorFile})\" http://localhost:{ScalerPort}/pools)",
                settings.ScalerPort, tokens.Viewer, tokens.OperatorFile, tokens.OperatorFile, settings.ScalerPort);
            return Task.CompletedTask;
        });
    }
}
