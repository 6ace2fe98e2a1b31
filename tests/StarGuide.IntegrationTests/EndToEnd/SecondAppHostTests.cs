using System.Net;
using System.Net.Sockets;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>
/// A second AppHost (or anything else on one of its fixed ports): the AppHost says which port is taken and how to choose
/// another, and exits 2 before starting anything, instead of a bind stack trace.
/// </summary>
public class SecondAppHostTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("dashboard", "Aspire dashboard", "--ASPNETCORE_URLS=http://localhost:<port>")]
    [InlineData("otlp", "Aspire dashboard's OTLP endpoint", "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:<port>")]
    [InlineData("resource-service", "Aspire resource service", "--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:<port>")]
    [InlineData("gateway", "StarGuide gateway", "--StarGuide:GatewayPort=<port>")]
    [InlineData("scaler", "StarGuide scaler", "--StarGuide:ScalerPort=<port>")]
    public async Task A_port_in_use_is_named_with_the_setting_that_moves_it(string taken, string what, string setting)
    {
        // Every fixed port free but the one under test (another AppHost may hold the defaults on this machine).
        var ports = new[] { "dashboard", "otlp", "resource-service", "gateway", "management", "scaler" }.ToDictionary(p => p, _ => FreePort.Next());
        using var holder = new TcpListener(IPAddress.Loopback, ports[taken]);
        holder.Start();

        var outcome = await ServiceProcess.RunUntilExitAsync("src/AppHost", "StarGuide.AppHost",
            [$"--StarGuide:GatewayPort={ports["gateway"]}", $"--StarGuide:GatewayManagementPort={ports["management"]}", $"--StarGuide:ScalerPort={ports["scaler"]}"],
            Bound,
            new Dictionary<string, string>
            {
                // The launch profile's settings (src/AppHost/Properties/launchSettings.json), on the ports of this test.
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
                ["ASPNETCORE_URLS"] = $"http://localhost:{ports["dashboard"]}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{ports["otlp"]}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{ports["resource-service"]}",
            });

        Assert.True(outcome.ExitCode == 2, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        var line = Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"port {ports[taken]} ({what}) is in use: stop the other AppHost or choose another port: dotnet run --project src/AppHost -- {setting}", line);
        Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_is_one_line_naming_the_key()
    {
        var outcome = await ServiceProcess.RunUntilExitAsync("src/AppHost", "StarGuide.AppHost", ["--StarGuide:GatewayPort=eighty"], Bound,
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Development", ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true" });

        Assert.True(outcome.ExitCode == 2, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        var line = Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("StarGuide:GatewayPort must be a whole number from 1 to 65535; it is 'eighty'.", line);
    }
}
