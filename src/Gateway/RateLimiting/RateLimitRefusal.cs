using System.Globalization;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// A request over its client's budget in the route's zone: 429 with <c>Retry-After</c> (nginx answers 503, which tells
/// clients and monitors the wrong thing), counted by zone.
/// </summary>
internal static class RateLimitRefusal
{
    public static Task WriteAsync(HttpContext context, RateLimitZone zone, RateLimitDecision decision, RateLimitingMetrics metrics)
    {
        metrics.Rejected(zone.Name);
        var seconds = Math.Max(1, (decision.RetryAfterMs + 999) / 1000);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Too many requests: slow down and retry after the time in Retry-After.\n");
    }
}
