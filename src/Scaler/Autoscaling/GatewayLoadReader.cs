using StackExchange.Redis;
using StarGuide.ServiceDefaults.LoadReports;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// Reads what every gateway replica reports of each instance's load (the format: <see cref="GatewayLoadReport"/>) and
/// sums it over the replicas: requests in flight now, and requests per second since the previous read.
/// </summary>
internal sealed class GatewayLoadReader(IConnectionMultiplexer redis, string keyPrefix)
{
    private readonly Dictionary<(string Replica, string Field), (long Sent, long At, double Rate)> _previous = [];

    /// <summary>Per instance of <paramref name="pool"/>: in flight and requests per second; null when Redis cannot be read.</summary>
    public async Task<IReadOnlyDictionary<string, InstanceLoad>?> ReadAsync(string pool, DateTimeOffset now, TimeSpan maxAge)
    {
        var loads = new Dictionary<string, InstanceLoad>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var server = redis.GetServers().FirstOrDefault(s => s.IsConnected);
            if (server is null)
            {
                return null;
            }
            var database = redis.GetDatabase();
            await foreach (var key in server.KeysAsync(pattern: GatewayLoadReport.KeyPattern(keyPrefix)))
            {
                foreach (var entry in await database.HashGetAllAsync(key))
                {
                    var field = entry.Name.ToString();
                    if (GatewayLoadReport.InstanceOf(field, pool) is not { } instance
                        || !GatewayLoadReport.TryParse(entry.Value.ToString(), out var inFlight, out var sent, out var at)
                        || now.ToUnixTimeMilliseconds() - at > maxAge.TotalMilliseconds)
                    {
                        continue;
                    }
                    var id = (key.ToString(), field);
                    var rate = 0.0;
                    if (_previous.TryGetValue(id, out var previous))
                    {
                        // A report read twice (reads faster than reports) keeps the rate it had.
                        rate = at > previous.At && sent >= previous.Sent ? (sent - previous.Sent) * 1000.0 / (at - previous.At) : previous.Rate;
                    }
                    _previous[id] = (sent, at, rate);
                    var sum = loads.GetValueOrDefault(instance);
                    loads[instance] = new InstanceLoad(sum.InFlight + inFlight, sum.RequestsPerSecond + rate);
                }
            }
            return loads;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>One instance's load as all gateway replicas together see it.</summary>
internal readonly record struct InstanceLoad(long InFlight, double RequestsPerSecond);
