using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace StarGuide.AppHost;

/// <summary>
/// The ports a run of the AppHost always takes (the dashboard's three from the launch profile, the gateway's and the
/// scaler's from <see cref="AppHostSettings"/>), checked before anything starts: a second AppHost would otherwise die
/// with a bind stack trace (the resource service's port) or start services that cannot listen. Each port taken by
/// another process is one line naming it and the setting that chooses another.
/// </summary>
internal static class FixedPorts
{
    /// <summary>False, with one line per port in use, when another process holds one of the run's fixed ports.</summary>
    public static bool AreFree(IDistributedApplicationBuilder builder, AppHostSettings settings, out string problem)
    {
        var taken = Wanted(builder, settings)
            .Where(p => !CanListen(p.Url))
            .Select(p => $"port {p.Url.Port} ({p.What}) is in use: stop the other AppHost or choose another port: dotnet run --project src/AppHost -- {p.Setting}")
            .Distinct()
            .ToList();
        problem = string.Join(Environment.NewLine, taken);
        return taken.Count == 0;
    }

    /// <remarks>
    /// Each with the command-line setting that moves it: <c>dotnet run</c> gives the launch profile's environment
    /// (launchSettings.json) precedence over the shell's, but command-line arguments override both.
    /// </remarks>
    private static IEnumerable<(Uri Url, string What, string Setting)> Wanted(IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            yield break;
        }
        var configuration = builder.Configuration;
        // The dashboard and its endpoints run only when it is on (test hosts turn it off).
        var options = builder.Services.LastOrDefault(d => d.ServiceType == typeof(DistributedApplicationOptions))?.ImplementationInstance
            as DistributedApplicationOptions;
        if (options?.DisableDashboard != true)
        {
            foreach (var url in Urls(configuration["ASPNETCORE_URLS"]))
            {
                yield return (url, "Aspire dashboard", "--ASPNETCORE_URLS=http://localhost:<port>");
            }
            foreach (var url in Urls(configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] ?? configuration["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"]))
            {
                yield return (url, "Aspire dashboard's OTLP endpoint", "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:<port>");
            }
            foreach (var url in Urls(configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] ?? configuration["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"]))
            {
                yield return (url, "Aspire resource service", "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:<port>");
            }
        }
        yield return (Local(settings.GatewayPort), "StarGuide gateway", $"--{AppHostSettings.SectionName}:GatewayPort=<port>");
        yield return (Local(settings.GatewayManagementPort), "StarGuide gateway's management endpoints", $"--{AppHostSettings.SectionName}:GatewayManagementPort=<port>");
        yield return (Local(settings.ScalerPort), "StarGuide scaler", $"--{AppHostSettings.SectionName}:ScalerPort=<port>");
    }

    private static Uri Local(int port) => new($"http://localhost:{port}");

    /// <summary>The URLs of a <c>;</c>-separated list with a fixed port (port 0 is any free one: nothing to check).</summary>
    private static IEnumerable<Uri> Urls(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var url) ? url : null)
            .OfType<Uri>()
            .Where(u => u.Port > 0);

    private static bool CanListen(Uri url)
    {
        var address = url.IsLoopback ? IPAddress.Loopback : IPAddress.TryParse(url.Host, out var ip) ? ip : IPAddress.Any;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, url.Port));
            socket.Listen();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Not an address of this machine, or another reason: the real bind reports it.
            return true;
        }
    }
}
