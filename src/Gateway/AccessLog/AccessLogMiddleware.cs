using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Metrics;
using StarGuide.Gateway.Routing;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// Times every request and, when it ends, records its upstream latency and queues its access log line (format in
/// <see cref="AccessLogFormat"/>, written by <see cref="AccessLogWriter"/>): proxied requests unless their route opts
/// out, and requests no route matched; not the gateway's own /health, /alive and /metrics.
/// </summary>
internal sealed class AccessLogMiddleware(
    RequestDelegate next,
    RoutePolicies routes,
    GatewayMetrics metrics,
    AccessLogWriter writer,
    IOptions<AccessLogOptions> options)
{
    private readonly bool _enabled = options.Value.Enabled;

    public async Task InvokeAsync(HttpContext context)
    {
        var entry = new AccessLogEntry(Stopwatch.GetTimestamp());
        context.Features.Set(entry);
        try
        {
            await next(context);
        }
        finally
        {
            var end = Stopwatch.GetTimestamp();
            var policy = routes.For(context);
            if (AccessLogEntry.Seconds(entry.UpstreamStart, entry.UpstreamEnd) is { } upstreamSeconds)
            {
                metrics.RecordUpstream(policy, context, upstreamSeconds);
            }
            if (_enabled && (policy?.AccessLog ?? context.GetEndpoint() is null))
            {
                var request = context.Request;
                writer.Write(new AccessLogRecord(
                    context.Connection.RemoteIpAddress,
                    request.Method,
                    context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value + request.QueryString.Value,
                    request.Protocol,
                    context.Response.StatusCode,
                    context.Response.ContentLength,
                    request.Headers.Referer,
                    request.Headers.UserAgent,
                    entry.StartTimestamp, end,
                    entry.UpstreamStart, entry.ConnectTicks, entry.UpstreamHeaders, entry.UpstreamEnd,
                    entry.Upstream));
            }
        }
    }
}
