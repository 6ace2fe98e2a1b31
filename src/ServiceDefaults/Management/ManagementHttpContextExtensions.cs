using Microsoft.AspNetCore.Http;

namespace StarGuide.ServiceDefaults.Management;

public static class ManagementHttpContextExtensions
{
    /// <summary>The authenticated caller of a management request (set by <see cref="ManagementAccess"/>), or null.</summary>
    public static ManagementCaller? ManagementCaller(this HttpContext context) => context.Features.Get<ManagementCaller>();

    /// <summary>The caller as audit fields record it: the token's name and the address it came from, e.g. <c>ops@10.0.0.5</c>.</summary>
    public static string ManagementAuditName(this HttpContext context) =>
        $"{context.ManagementCaller()?.Name ?? "unknown"}@{context.Connection.RemoteIpAddress}";
}
