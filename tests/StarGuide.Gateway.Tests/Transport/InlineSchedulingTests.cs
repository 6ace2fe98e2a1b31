using System.Net;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Transport;

/// <summary>
/// The opt-in inline I/O scheduling runs socket completions on the I/O threads, Redis's and RabbitMQ's included. A
/// server that hangs does not block a thread (its replies just never come), so with a stalled Redis and a stalled
/// broker requests are still answered: the limiter falls back after its Redis timeout, the bus is not on the request
/// path. Run with the mode off as well, as the reference.
/// </summary>
public sealed class InlineSchedulingTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalled_redis_and_broker_do_not_stall_requests(bool inline)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var upstream = await ScriptedUpstream.StartAsync();
        var redisEndpoint = redis.ConnectionString.Split(',')[0];
        var redisAddress = redisEndpoint.Split(':');
        await using var redisProxy = new StallingTcpProxy(redisAddress[0], int.Parse(redisAddress[1], System.Globalization.CultureInfo.InvariantCulture));
        var amqp = broker.Server.AmqpUri;
        await using var brokerProxy = new StallingTcpProxy(amqp.Host, amqp.Port);
        var settings = GatewaySettings.Pools(upstream.Address).WithPatientTries();
        settings["Gateway:Transport:InlineScheduling"] = inline ? "true" : "false";
        settings["Gateway:RateLimiting:Enabled"] = "true";
        settings["Gateway:RateLimiting:Zones:api:RequestsPerSecond"] = "100000";
        settings["Gateway:RateLimiting:Zones:api:Burst"] = "100000";
        // The same options (a container's Redis has a password), through the proxy.
        settings["ConnectionStrings:redis"] = redis.ConnectionString.Replace(redisEndpoint, $"127.0.0.1:{redisProxy.Port}", StringComparison.Ordinal);
        settings["ConnectionStrings:rabbitmq"] = new UriBuilder(amqp) { Host = "127.0.0.1", Port = brokerProxy.Port }.Uri.ToString();
        await using var gateway = await GatewayServiceProcess.StartAsync(settings);
        await HealthEndpoint.WaitHealthyAsync(gateway.ManagementClient, TimeSpan.FromSeconds(90),
            $"the gateway never became healthy (bus and Redis connected):\n{gateway.Output}");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/api/before")).StatusCode);

        redisProxy.Stall();
        brokerProxy.Stall();
        // Each request on a connection of its own, half of them at once: a stalled I/O thread would hold them all.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => GetOnNewConnectionAsync(gateway, $"/api/during/{i}")));
        var sequential = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            sequential.Add(await GetOnNewConnectionAsync(gateway, "/api/health"));
        }

        Assert.All(concurrent, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(sequential, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static async Task<HttpStatusCode> GetOnNewConnectionAsync(GatewayServiceProcess gateway, string path)
    {
        // 10 s: far above the limiter's 250 ms Redis timeout, far below a hang.
        using var client = new HttpClient { BaseAddress = gateway.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }
}
