using System.Net;
using Microsoft.Extensions.Primitives;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// What one access log line needs, captured when the request ends: references to values the request already holds
/// and Stopwatch timestamps, so that the request path allocates nothing for it; the line is formatted later by
/// <see cref="AccessLogWriter"/>.
/// </summary>
internal readonly record struct AccessLogRecord(
    IPAddress? Client,
    string Method,
    string Target,
    string Protocol,
    int Status,
    long? BodyBytes,
    StringValues Referer,
    StringValues UserAgent,
    long Start,
    long End,
    long UpstreamStart,
    long ConnectTicks,
    long UpstreamHeaders,
    long UpstreamEnd,
    string? Upstream);
