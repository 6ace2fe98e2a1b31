using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StarGuide.AppHost.Infrastructure;

/// <summary>Healthy once something accepts a TCP connection on the loopback port (e.g. epmd listening).</summary>
internal sealed class TcpPortHealthCheck(string what, int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException ex)
        {
            return HealthCheckResult.Unhealthy($"{what} does not listen on 127.0.0.1:{port} yet", ex);
        }
    }
}
