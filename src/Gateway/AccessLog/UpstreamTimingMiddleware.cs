using System.Diagnostics;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// Last in the proxy pipeline, just before YARP forwards: marks when the upstream exchange starts and ends and which
/// upstream served it. A retried request overwrites the first attempt's marks, as nginx reports the last upstream.
/// </summary>
internal sealed class UpstreamTimingMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<AccessLogEntry>() is not { } entry)
        {
            await next(context);
            return;
        }
        entry.UpstreamStart = Stopwatch.GetTimestamp();
        entry.UpstreamHeaders = 0;
        entry.ConnectTicks = 0;
        try
        {
            await next(context);
        }
        finally
        {
            entry.UpstreamEnd = Stopwatch.GetTimestamp();
            entry.Upstream = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Address;
        }
    }
}
