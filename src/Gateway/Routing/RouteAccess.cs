namespace StarGuide.Gateway.Routing;

/// <summary>
/// A route's allowed networks (e.g. <c>/api/metrics</c>): 403 to a client outside them. The client address is the TCP
/// peer unless that peer is a trusted proxy (see ClientAddress), so a client cannot claim to be inside.
/// </summary>
internal static class RouteAccess
{
    public static Task ForbidAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync("Forbidden: this path is only served to allowed networks.\n");
    }
}
