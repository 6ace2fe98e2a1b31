using StackExchange.Redis;
using StarGuide.Scaler.Autoscaling;
using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Autoscaling;

/// <summary>Load reports of several gateway replicas in a real Redis, summed per instance, with rates from consecutive reports.</summary>
public sealed class GatewayLoadReaderTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private Task ReportAsync(string replica, string field, long inFlight, long sent, DateTimeOffset at) =>
        _connection.GetDatabase().HashSetAsync($"{_prefix}:gateway-load:{replica}", field, $"{inFlight} {sent} {at.ToUnixTimeMilliseconds()}");

    [Fact]
    public async Task In_flight_requests_and_request_rates_of_every_replica_are_summed_per_instance_of_the_pool()
    {
        var reader = new GatewayLoadReader(_connection, _prefix);
        await ReportAsync("gw-a", "backend/backend-1", 3, 100, T0);
        await ReportAsync("gw-b", "backend/backend-1", 2, 50, T0);
        await ReportAsync("gw-a", "frontend/frontend-1", 9, 900, T0);
        var first = await reader.ReadAsync("backend", T0, TimeSpan.FromSeconds(10));

        await ReportAsync("gw-a", "backend/backend-1", 4, 120, T0.AddSeconds(1));
        await ReportAsync("gw-b", "backend/backend-1", 1, 80, T0.AddSeconds(2));
        var second = await reader.ReadAsync("backend", T0.AddSeconds(2), TimeSpan.FromSeconds(10));

        Assert.Equal(5, first!["backend-1"].InFlight);
        Assert.Equal(0, first["backend-1"].RequestsPerSecond); // no earlier report to take a rate from
        Assert.False(first.ContainsKey("frontend-1"));
        Assert.Equal(5, second!["backend-1"].InFlight);
        Assert.Equal(20 + 15, second["backend-1"].RequestsPerSecond, precision: 6); // 20/1 s on gw-a, 30/2 s on gw-b
    }

    [Fact]
    public async Task A_report_older_than_the_maximum_age_is_left_out()
    {
        var reader = new GatewayLoadReader(_connection, _prefix);
        await ReportAsync("gw-old", "backend/backend-1", 7, 10, T0.AddSeconds(-30));

        var loads = await reader.ReadAsync("backend", T0, TimeSpan.FromSeconds(10));

        Assert.NotNull(loads);
        Assert.Empty(loads);
    }
}
