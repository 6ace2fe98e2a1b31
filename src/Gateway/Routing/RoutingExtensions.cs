using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Routing;

internal static class RoutingExtensions
{
    public static WebApplicationBuilder AddGatewayRoutes(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayRoutesOptions>()
            .BindConfiguration(GatewayRoutesOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<GatewayRoutesOptions>, GatewayRoutesValidator>());
        builder.Services.AddSingleton<RoutePolicies>();
        builder.Services.AddRequestTimeouts();
        return builder;
    }
}
