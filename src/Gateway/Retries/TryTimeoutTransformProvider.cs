using Microsoft.Extensions.Options;
using StarGuide.Gateway.Routing;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace StarGuide.Gateway.Retries;

/// <summary>
/// Marks the idempotent requests of routes with a <see cref="GatewayRouteOptions.TryTimeout"/> for
/// <see cref="TryTimeoutHandler"/>. Built per route: routes without one (e.g. <c>/api/ai</c>) pay nothing.
/// </summary>
internal sealed class TryTimeoutTransformProvider(IOptions<GatewayRoutesOptions> routes, IOptionsMonitor<RetryOptions> retries)
    : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (!routes.Value.TryGetValue(context.Route.RouteId, out var route) || route.TryTimeout is not { } timeout)
        {
            return;
        }
        context.AddRequestTransform(transform =>
        {
            if (RetryRules.IsIdempotent(transform.HttpContext.Request.Method, retries.CurrentValue))
            {
                transform.ProxyRequest.Options.Set(TryTimeoutHandler.RequestOptionsKey, timeout);
            }
            return ValueTask.CompletedTask;
        });
    }
}
