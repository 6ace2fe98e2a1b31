using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace StarGuide.Gateway.Management;

/// <summary>
/// Kestrel listens on the management port beside the public addresses. An explicit listener makes Kestrel ignore
/// <c>ASPNETCORE_URLS</c> / <c>--urls</c> (and <c>ASPNETCORE_HTTP_PORTS</c>), so without TLS (whose listeners are
/// explicit already) those public addresses are listened on explicitly too.
/// </summary>
internal static class ManagementListeners
{
    public static void Configure(KestrelServerOptions kestrel, ManagementOptions management, bool tls, IConfiguration configuration)
    {
        if (management.Port == 0)
        {
            return;
        }
        kestrel.Listen(IPAddress.Parse(management.Address), management.Port);
        if (tls)
        {
            return;
        }
        foreach (var (host, port) in PublicAddresses(configuration))
        {
            if (port == management.Port)
            {
                // The public listener would be the management one: every proxied request answered 404.
                throw new InvalidOperationException(
                    $"{ManagementOptions.SectionName}:Port {port} is also a public address of the gateway (urls): give the "
                    + "management endpoints a port of their own, or 0 to serve them on the public port behind the allow-list.");
            }
            switch (host)
            {
                case "localhost":
                    kestrel.ListenLocalhost(port);
                    break;
                case "*" or "+" or "0.0.0.0" or "[::]":
                    kestrel.ListenAnyIP(port);
                    break;
                default:
                    kestrel.Listen(IPAddress.Parse(host.Trim('[', ']')), port);
                    break;
            }
        }
    }

    /// <summary>The hosting addresses Kestrel would have used: <c>urls</c>, else <c>http_ports</c>, else localhost:5000.</summary>
    internal static IEnumerable<(string Host, int Port)> PublicAddresses(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var address = BindingAddress.Parse(url);
                if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"urls: '{url}' is not http://; the gateway's HTTPS is configured under Gateway:Tls.");
                }
                yield return (address.Host, address.Port);
            }
        }
        else if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            foreach (var port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return ("*", int.Parse(port, CultureInfo.InvariantCulture));
            }
        }
        else
        {
            yield return ("localhost", 5000);
        }
    }
}
