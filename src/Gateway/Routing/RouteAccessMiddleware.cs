namespace StarGuide.Gateway.Routing;

/// <summary>
/// Answers 403 to a client outside the route's allowed networks (e.g. <c>/api/metrics</c>). The client address is
/// the TCP peer unless that peer is a trusted proxy (see ClientAddress), so a client cannot claim to be inside.
/// </summary>
internal sealed class RouteAccessMiddleware(RequestDelegate next, RoutePolicies routes)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (routes.For(context) is { } policy && !policy.Allows(context.Connection.RemoteIpAddress))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Forbidden: this path is only served to allowed networks.\n");
        }
        return next(context);
    }
}
