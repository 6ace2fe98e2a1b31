using System.Globalization;
using System.Net;
using StarGuide.Gateway.Routing;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// Refuses a request over its client's budget in the route's zone with 429 and <c>Retry-After</c> (nginx answers
/// 503, which tells clients and monitors the wrong thing). Runs in the proxy pipeline, after the route is known.
/// </summary>
internal sealed class RateLimitingMiddleware(
    RequestDelegate next,
    RoutePolicies routes,
    ClientRateLimiter limiter,
    RateLimitingMetrics metrics)
{
    private static readonly IPAddress Unknown = IPAddress.None;

    public async Task InvokeAsync(HttpContext context)
    {
        if (routes.For(context)?.Zone is not { } zone)
        {
            await next(context);
            return;
        }

        var decision = await limiter.DecideAsync(zone, context.Connection.RemoteIpAddress ?? Unknown);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        metrics.Rejected(zone.Name);
        var seconds = Math.Max(1, (decision.RetryAfterMs + 999) / 1000);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Too many requests: slow down and retry after the time in Retry-After.\n");
    }
}
