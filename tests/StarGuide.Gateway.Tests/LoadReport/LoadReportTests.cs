using StackExchange.Redis;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.LoadReport;

/// <summary>The gateway reports each instance's requests in flight and requests sent to a real Redis, for the scaler.</summary>
public sealed class LoadReportTests(RedisFixture redis) : WithUpstreams, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task In_flight_and_sent_requests_per_instance_reach_redis_every_interval()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var settings = KestrelGateway.Pools(Backend, Frontend);
        settings["ConnectionStrings:redis"] = redis.Server.ConnectionString;
        settings["Gateway:RateLimiting:Enabled"] = "false";
        settings["Gateway:LoadReport:Interval"] = "00:00:00.200";
        settings["Gateway:LoadReport:KeyPrefix"] = prefix;
        await using var gateway = KestrelGateway.Start(settings);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var server = connection.GetServers()[0];
        var field = $"backend/{Backend.InstanceId}";

        for (var i = 0; i < 3; i++)
        {
            (await gateway.Client.GetAsync("/api/quick")).EnsureSuccessStatusCode();
        }
        // The ai route: no per-try timeout (the api route's 2 s one could end the attempt early on a busy machine).
        var slow = gateway.Client.GetAsync("/api/ai/slow?delayMs=5000");
        // The slow request in flight and the three quick ones sent. An attempt is counted once it has ended, which can be a
        // moment after its client has the answer: until then a quick one is the request in flight.
        var report = await ReportWhenAsync(connection, server, prefix, field, r => r.InFlight == 1 && r.Sent == 3);
        using (var response = await slow)
        {
            response.EnsureSuccessStatusCode();
        }

        var after = await ReportWhenAsync(connection, server, prefix, field, r => r.InFlight == 0 && r.Sent == 4);
        Assert.True(after.At > report.At);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync((await KeysAsync(server, prefix)).Single());
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
    }

    private static async Task<(long InFlight, long Sent, long At)> ReportWhenAsync(
        ConnectionMultiplexer connection, IServer server, string prefix, string field, Func<(long InFlight, long Sent, long At), bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            foreach (var key in await KeysAsync(server, prefix))
            {
                var value = await connection.GetDatabase().HashGetAsync(key, field);
                if (value.HasValue)
                {
                    var parts = value.ToString().Split(' ').Select(long.Parse).ToArray();
                    var report = (parts[0], parts[1], parts[2]);
                    if (condition(report))
                    {
                        return report;
                    }
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"no report of {field} under {prefix} met the condition");
            await Task.Delay(50);
        }
    }

    private static async Task<List<RedisKey>> KeysAsync(IServer server, string prefix)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: $"{prefix}:gateway-load:*"))
        {
            keys.Add(key);
        }
        return keys;
    }
}
