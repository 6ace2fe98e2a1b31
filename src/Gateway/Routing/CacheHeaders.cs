using System.Globalization;

namespace StarGuide.Gateway.Routing;

/// <summary>
/// nginx <c>expires</c> + <c>add_header Cache-Control</c> for routes that set them (e.g. <c>/static/</c>): on
/// responses nginx would cache (2xx, 3xx redirects, 304) the route's Cache-Control and Expires replace the upstream's.
/// </summary>
internal static class CacheHeaders
{
    public static void Apply(HttpContext context, RoutePolicy policy, TimeProvider timeProvider) =>
        context.Response.OnStarting(static state =>
        {
            var (ctx, policy, time) = ((HttpContext, RoutePolicy, TimeProvider))state;
            if (IsCacheable(ctx.Response.StatusCode))
            {
                ctx.Response.Headers.CacheControl = policy.CacheControl;
                if (policy.Expires is { } expires)
                {
                    ctx.Response.Headers.Expires = time.GetUtcNow().Add(expires).ToString("R", CultureInfo.InvariantCulture);
                }
            }
            return Task.CompletedTask;
        }, (context, policy, timeProvider));

    // nginx's expires applies to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308.
    private static bool IsCacheable(int status) =>
        status is 200 or 201 or 204 or 206 or 301 or 302 or 303 or 304 or 307 or 308;
}
