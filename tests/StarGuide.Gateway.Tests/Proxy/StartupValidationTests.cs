using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StarGuide.Gateway.Tests.Support;
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
    [InlineData("Pools:backend:ConnectTimeout", "00:00:00", "Pools:backend:ConnectTimeout must be more than 0")]
    [InlineData("Pools:backend:Instances:1:Id", "BACKEND-1", "Pools:backend:Instances:1:Id 'BACKEND-1' is used twice")]
    [InlineData("Pools:backend:AllowedNetworks:0", "everyone", "Pools:backend:AllowedNetworks:0 must be a network in CIDR notation")]
    [InlineData("Pools:backend:AllowedPorts", "8080,0-70000", "Pools:backend:AllowedPorts must be ports or ranges from 1 to 65535")]
    [InlineData("MessageBus:Publishers:PoolEvents", " , ", "MessageBus:Publishers:PoolEvents must name at least one RabbitMQ user")]
    [InlineData("MessageBus:Publishers:HealthVerdicts", "health monitor", "MessageBus:Publishers:HealthVerdicts names 'health monitor', which is not a RabbitMQ user name")]
    [InlineData("MessageBus:MaxPoolVersionAhead", "00:00:00", "MessageBus:MaxPoolVersionAhead must be more than 0")]
    [InlineData("MessageBus:Nodes", "amqp://gateway:s3cret@rabbitmq-0:5672/", "MessageBus:Nodes must be a comma-separated list of RabbitMQ nodes")]
    [InlineData("MessageBus:Nodes", "rabbitmq-0:5672,rabbitmq-1:70000", "MessageBus:Nodes must be a comma-separated list of RabbitMQ nodes")]
    [InlineData("MessageBus:Nodes", "rabbitmq-0,rabbitmq-0:5672", "MessageBus:Nodes must be a comma-separated list of RabbitMQ nodes")]
    public async Task Bad_pool_or_bus_setting_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        // Instance 0 of each pool comes from GatewayProcess (backend-1, frontend-1); the key under test overrides it.
        var settings = new Dictionary<string, string> { [key] = value };
        if (key.Contains(":1:", StringComparison.Ordinal))
        {
            settings["Pools:backend:Instances:1:Address"] = "http://127.0.0.1:8002";
        }

        var output = await GatewayProcess.AssertStopsAtStartAsync(settings);

        Assert.Contains(expected, output);
    }

    [Theory]
    [InlineData(null, "ConnectionStrings:rabbitmq is not set")]
    [InlineData("localhost:5672", "must be an amqp:// or amqps:// URI")]
    [InlineData("http://admin:s3cret@broker:5672/", "must be an amqp:// or amqps:// URI")]
    public async Task Bad_broker_connection_string_stops_the_gateway_without_printing_the_password(string? value, string expected)
    {
        var settings = new Dictionary<string, string> { ["Gateway:RateLimiting:Enabled"] = "false" };
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

    [Theory]
    [InlineData("Gateway:RateLimiting:Zones:api:RequestsPerSecond", "0", "Gateway:RateLimiting:Zones:api:RequestsPerSecond must be at least 0.001")]
    [InlineData("Gateway:RateLimiting:Zones:api:Burst", "-1", "Gateway:RateLimiting:Zones:api:Burst must not be negative")]
    [InlineData("Gateway:Routes:api:Pool", "nowhere", "Gateway:Routes:api:Pool 'nowhere' is not a pool")]
    [InlineData("Gateway:Routes:api:RateLimitZone", "nozone", "Gateway:Routes:api:RateLimitZone 'nozone' is not a zone")]
    [InlineData("Gateway:Routes:metrics:AllowedNetworks:0", "10.0.0.0/33", "Gateway:Routes:metrics:AllowedNetworks:0 must be a network in CIDR form")]
    [InlineData("Gateway:Routes:ai:Timeout", "00:00:00", "Gateway:Routes:ai:Timeout must be positive")]
    [InlineData("Gateway:Routes:api:Path", "api/{**rest}", "Gateway:Routes:api:Path must start with '/'")]
    [InlineData("Gateway:ClientAddress:TrustedProxies:0", "proxy.example", "Gateway:ClientAddress:TrustedProxies:0 must be an IP address or a CIDR network")]
    [InlineData("Gateway:AccessLog:Path", "/nonexistent-folder/access.log", "Gateway:AccessLog:Path '/nonexistent-folder/access.log': the folder '/nonexistent-folder' does not exist")]
    [InlineData("Gateway:AccessLog:QueueCapacity", "0", "Gateway:AccessLog:QueueCapacity must be at least 1")]
    [InlineData("ConnectionStrings:redis", "", "ConnectionStrings:redis is not set")]
    [InlineData("Gateway:Routes:api:TryTimeout", "00:05:00", "Gateway:Routes:api:TryTimeout must be positive and shorter than Gateway:Routes:api:Timeout")]
    [InlineData("Gateway:Management:Address", "localhost", "Gateway:Management:Address must be an IP address")]
    [InlineData("Management:AllowedNetworks:0", "everyone", "Management:AllowedNetworks:0 must be a network in CIDR form")]
    [InlineData("Gateway:Management:AllowedNetworks:0", "10.0.0.0/8", "Gateway:Management:AllowedNetworks is no longer read: management networks are Management:AllowedNetworks")]
    public async Task Bad_gateway_setting_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["Gateway:RateLimiting:Enabled"] = "true",
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            [key] = value,
        };

        var output = await GatewayProcess.AssertStopsAtStartAsync(settings);

        Assert.Contains(expected, output);
    }

    [Fact]
    public async Task Unreachable_broker_does_not_stop_the_gateway_it_makes_it_degraded_not_unready()
    {
        // KestrelGateway points the bus at a closed port, as Broker here.
        await using var gateway = KestrelGateway.Start(GatewaySettings.Pools("http://127.0.0.1:8001", "http://127.0.0.1:8003"));
        var client = gateway.ManagementClient;

        using var alive = await client.GetAsync("/alive");
        using var ready = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        // It serves its configured pools without a bus: ready, Degraded (the pools it knows no member of would keep it out).
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    private static Task<ProcessOutcome> RunGatewayAsync(Dictionary<string, string> settings) =>
        ServiceProcess.RunUntilExitAsync("src/Gateway", "StarGuide.Gateway",
            settings.Select(s => $"--{s.Key}={s.Value}"), StartBound);
}
