using Microsoft.AspNetCore.Http.Timeouts;

namespace StarGuide.Gateway.Routing;

/// <summary>
/// A route's <see cref="GatewayRouteOptions.Timeout"/> is enforced by ASP.NET's request-timeout middleware, which
/// cancels the request; YARP 2.3 cannot tell that from a client that went away and answers 400. When the timeout is
/// what fired, the answer is 504 (nginx's for <c>proxy_read_timeout</c>).
/// </summary>
internal static class RouteTimeout
{
    /// <summary>Called when the proxy is done with the request.</summary>
    public static void AnswerIfTimedOut(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true
            && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }
}
