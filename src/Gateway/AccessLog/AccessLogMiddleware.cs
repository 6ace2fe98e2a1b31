using System.Diagnostics;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Routing;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// Writes one line per request with the seed's log_format fields: client, request line, status, bytes, referer,
/// user agent, <c>rt</c> (request time), <c>uct</c> (upstream connect), <c>uht</c> (upstream header),
/// <c>urt</c> (upstream response), and the upstream that served it. Times in seconds, "-" where there was none.
/// </summary>
internal sealed partial class AccessLogMiddleware(
    RequestDelegate next,
    RoutePolicies routes,
    GatewayMetrics metrics,
    IOptions<AccessLogOptions> options,
    ILogger<AccessLogMiddleware> logger)
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
            metrics.RecordUpstream(policy, context, entry);
            // Proxied requests unless their route opts out, and requests no route matched; not the gateway's own
            // /health, /alive and /metrics.
            var log = policy?.AccessLog ?? context.GetEndpoint() is null;
            if (_enabled && log && logger.IsEnabled(LogLevel.Information))
            {
                var request = context.Request;
                LogRequest(logger,
                    context.Connection.RemoteIpAddress?.ToString() ?? "-",
                    request.Method, request.Path.Value + request.QueryString.Value, request.Protocol,
                    context.Response.StatusCode,
                    context.Response.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    request.Headers.Referer.ToString(), request.Headers.UserAgent.ToString(),
                    Format(AccessLogEntry.Seconds(entry.StartTimestamp, end)),
                    entry.UpstreamStart == 0 ? "-" : Format(entry.ConnectTicks == 0 ? 0 : Stopwatch.GetElapsedTime(0, entry.ConnectTicks).TotalSeconds),
                    Format(AccessLogEntry.Seconds(entry.UpstreamStart, entry.UpstreamHeaders)),
                    Format(AccessLogEntry.Seconds(entry.UpstreamStart, entry.UpstreamEnd)),
                    entry.Upstream ?? "-");
            }
        }
    }

    private static string Format(double? seconds) =>
        seconds is { } s ? s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "-";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message =
        "{RemoteAddr} \"{Method} {Target} {Protocol}\" {Status} {BodyBytes} \"{Referer}\" \"{UserAgent}\" rt={Rt} uct=\"{Uct}\" uht=\"{Uht}\" urt=\"{Urt}\" upstream={Upstream}")]
    private static partial void LogRequest(ILogger logger, string remoteAddr, string method, string target, string protocol,
        int status, string bodyBytes, string referer, string userAgent, string rt, string uct, string uht, string urt, string upstream);
}
