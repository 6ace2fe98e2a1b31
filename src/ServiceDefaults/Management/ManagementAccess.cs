using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// The one gate of every management endpoint, in this order: the <c>Host</c> header names this service (DNS
/// rebinding), the TCP peer is in an allowed network, the request carries a known token (<c>Authorization: Bearer</c>,
/// or the status page's cookie on a GET), and that token's role covers what is asked. Written here rather than with
/// ASP.NET Core's authentication middleware: registering that makes <c>WebApplication</c> add it to every pipeline,
/// the gateway's public per-request path included, for two kinds of static token.
/// </summary>
public sealed partial class ManagementAccess
{
    public const string Realm = "StarGuide management";

    private readonly NetworkAllowList _networks;
    private readonly HashSet<string> _hosts;
    private readonly ManagementTokens _tokens;
    private readonly ILogger<ManagementAccess> _logger;
    private readonly Counter<long> _refused;

    public ManagementAccess(IOptions<ManagementAccessOptions> options, IMeterFactory meters, ILogger<ManagementAccess> logger)
    {
        _networks = new NetworkAllowList(options.Value.EffectiveAllowedNetworks);
        _hosts = new HashSet<string>(["localhost", Environment.MachineName, .. options.Value.AllowedHosts], StringComparer.OrdinalIgnoreCase);
        _tokens = new ManagementTokens(options.Value);
        _logger = logger;
        _refused = meters.Create("StarGuide.Management").CreateCounter<long>("starguide_management_refused",
            description: "Management requests refused, by reason (host, network, credential, role).");
    }

    /// <summary>
    /// Decides whether <paramref name="context"/> may do <paramref name="required"/>. <paramref name="cookie"/> names a
    /// cookie that may carry the token instead of the Authorization header, on GET and HEAD only (a browser sends a
    /// cookie with requests other sites make it send; a safe method changes nothing).
    /// </summary>
    public ManagementDecision Authorize(HttpContext context, ManagementRole required, string what, string? cookie = null)
    {
        if (CheckPlace(context, what) is { } refused)
        {
            return refused;
        }
        var presented = PresentedToken(context.Request, cookie);
        if (presented.IsEmpty)
        {
            return Refuse("credential", StatusCodes.Status401Unauthorized, _tokens.IsEmpty
                ? $"Unauthorized: {what} closed: no management token is configured (Management:Tokens).\n"
                : $"Unauthorized: {what} only served with a management token (Authorization: Bearer <token>).\n");
        }
        if (_tokens.Find(presented) is not { } caller)
        {
            LogUnknownToken(context.Connection.RemoteIpAddress, context.Request.Path);
            return Refuse("credential", StatusCodes.Status401Unauthorized, "Unauthorized: the token is not a management token of this service.\n");
        }
        if (caller.Role < required)
        {
            return Refuse("role", StatusCodes.Status403Forbidden,
                $"Forbidden: the token '{caller.Name}' may {caller.Role.ToString().ToLowerInvariant()}, not {required.ToString().ToLowerInvariant()}.\n");
        }
        context.Features.Set(caller);
        return new ManagementDecision(caller, StatusCodes.Status200OK, null);
    }

    /// <summary>
    /// The first two checks alone, for what a browser must reach before it has a token (the status page's login form):
    /// a refusal when the <c>Host</c> header or the TCP peer is not allowed, otherwise null.
    /// </summary>
    public ManagementDecision? CheckPlace(HttpContext context, string what)
    {
        var host = context.Request.Host;
        if (host.HasValue && !IsOwnHost(host.Host))
        {
            return Refuse("host", StatusCodes.Status400BadRequest,
                $"Bad Request: '{host.Host}' is not a name of this service; management requests must name it (Management:AllowedHosts).\n");
        }
        if (!_networks.Contains(context.Connection.RemoteIpAddress))
        {
            return Refuse("network", StatusCodes.Status403Forbidden,
                $"Forbidden: {what} only served to allowed networks (Management:AllowedNetworks).\n");
        }
        return null;
    }

    /// <summary>The caller a token belongs to, for a login form; null when it is none.</summary>
    public ManagementCaller? Find(string token) => _tokens.Find(token.AsSpan().Trim());

    /// <summary>Writes a refusal: its status, the Bearer challenge on a 401, and the message.</summary>
    public static Task WriteAsync(HttpContext context, ManagementDecision decision)
    {
        context.Response.StatusCode = decision.StatusCode;
        if (decision.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\"";
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(decision.Problem ?? "");
    }

    private ManagementDecision Refuse(string reason, int status, string problem)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        return new ManagementDecision(null, status, problem);
    }

    private bool IsOwnHost(string host) =>
        _hosts.Contains(host) || IPAddress.TryParse(host.AsSpan().Trim('[').TrimEnd(']'), out _);

    private static ReadOnlySpan<char> PresentedToken(HttpRequest request, string? cookie)
    {
        var authorization = request.Headers.Authorization.ToString().AsSpan().Trim();
        if (authorization.Length > 7 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }
        if (cookie is not null && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Cookies.TryGetValue(cookie, out var value))
        {
            return value.AsSpan().Trim();
        }
        return [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a management request from {Client} to {Path}: its token is not a management token of this service")]
    private partial void LogUnknownToken(IPAddress? client, PathString path);
}
