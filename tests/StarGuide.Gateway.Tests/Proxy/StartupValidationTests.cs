using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Proxy;

/// <summary>A bad setting stops the gateway process at start with a message that names the key.</summary>
public class StartupValidationTests
{
    private const string Broker = "amqp://guest:guest@127.0.0.1:1/";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Pools:backend:Instances:0:Address", "not-a-uri", "Pools:backend:Instances:0:Address must be an absolute http")]
    [InlineData("Pools:backend:Instances:0:Address", "ftp://10.0.0.1/", "Pools:backend:Instances:0:Address must be an absolute http")]
    [InlineData("Pools:backend:Instances:0:Weight", "0", "Pools:backend:Instances:0:Weight must be between 1 and 100")]
    [InlineData("Pools:backend:Instances:0:Id", "", "Pools:backend:Instances:0:Id is required")]
    [InlineData("Pools:backend:HealthPath", "health", "Pools:backend:HealthPath must start with '/'")]
    [InlineData("Pools:backend:Instances:1:Id", "BACKEND-1", "Pools:backend:Instances:1:Id 'BACKEND-1' is used twice")]
    public async Task Bad_pool_setting_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = Broker,
            ["Pools:backend:Instances:0:Id"] = "backend-1",
            ["Pools:backend:Instances:0:Address"] = "http://127.0.0.1:8001",
            [key] = value,
        };
        if (key.Contains(":1:", StringComparison.Ordinal))
        {
            settings["Pools:backend:Instances:1:Address"] = "http://127.0.0.1:8002";
        }

        var outcome = await RunGatewayAsync(settings);

        Assert.NotNull(outcome.ExitCode);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(expected, outcome.Output);
    }

    [Theory]
    [InlineData(null, "ConnectionStrings:rabbitmq is not set")]
    [InlineData("localhost:5672", "must be an amqp:// or amqps:// URI")]
    [InlineData("http://admin:s3cret@broker:5672/", "must be an amqp:// or amqps:// URI")]
    public async Task Bad_broker_connection_string_stops_the_gateway_without_printing_the_password(string? value, string expected)
    {
        var settings = new Dictionary<string, string>();
        if (value is not null)
        {
            settings["ConnectionStrings:rabbitmq"] = value;
        }

        var outcome = await RunGatewayAsync(settings);

        Assert.NotNull(outcome.ExitCode);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(expected, outcome.Output);
        Assert.DoesNotContain("s3cret", outcome.Output);
    }

    [Fact]
    public async Task Unreachable_broker_does_not_stop_the_gateway_it_makes_it_not_ready()
    {
        using var factory = new WebApplicationFactory<GatewayAssembly>()
            .WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:rabbitmq", Broker));
        using var client = factory.CreateClient();

        using var alive = await client.GetAsync("/alive");
        using var ready = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private static Task<ProcessOutcome> RunGatewayAsync(Dictionary<string, string> settings) =>
        ServiceProcess.RunUntilExitAsync("src/Gateway", "StarGuide.Gateway",
            settings.Select(s => $"--{s.Key}={s.Value}"), StartBound);
}
