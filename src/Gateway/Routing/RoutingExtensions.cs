using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.Routing;

internal static class RoutingExtensions
{
    public static WebApplicationBuilder AddGatewayRoutes(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayRoutesOptions, GatewayRoutesValidator>(GatewayRoutesOptions.SectionName);
        builder.Services.AddSingleton<RoutePolicies>();
        builder.Services.AddRequestTimeouts();
        return builder;
    }
}
