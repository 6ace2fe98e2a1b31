using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// This replica's <see cref="RateLimitLease"/> per zone and client, found without allocating (the zone by reference,
/// the address as the connection holds it). Leases with nothing left to know are swept now and then, so that a flood of
/// client addresses cannot grow the table forever.
/// </summary>
internal sealed class RateLimitLeases
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(RateLimitZone Zone, IPAddress Client), RateLimitLease> _leases = new(KeyComparer.Instance);
    private readonly TimeProvider _timeProvider;
    private readonly long _lifetimeTicks;
    private readonly long _sweepTicks;
    private long _nextSweep;

    public RateLimitLeases(IOptions<RateLimitingOptions> options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _lifetimeTicks = ToTicks(options.Value.LeaseLifetime);
        _sweepTicks = ToTicks(SweepInterval);
        _nextSweep = timeProvider.GetTimestamp() + _sweepTicks;
    }

    public int Count => _leases.Count;

    public long TicksPerSecond => _timeProvider.TimestampFrequency;

    public long Now() => _timeProvider.GetTimestamp();

    public RateLimitLease For(RateLimitZone zone, IPAddress client, long now)
    {
        SweepIfDue(now);
        return _leases.TryGetValue((zone, client), out var lease)
            ? lease
            : _leases.GetOrAdd((zone, client), static (_, lifetime) => new RateLimitLease(lifetime), _lifetimeTicks);
    }

    /// <summary>For tests: the unspent tokens this replica holds of a client's budget in a zone.</summary>
    internal int TokensHeld(string zone, IPAddress client) =>
        _leases.Where(l => l.Key.Zone.Name == zone && l.Key.Client.Equals(client)).Sum(l => l.Value.TokensHeld(Now()));

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    private void SweepIfDue(long now)
    {
        var due = Volatile.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _sweepTicks, due) != due)
        {
            return;
        }
        foreach (var entry in _leases)
        {
            if (entry.Value.IsIdle(now))
            {
                _leases.TryRemove(entry);
            }
        }
    }

    private sealed class KeyComparer : IEqualityComparer<(RateLimitZone Zone, IPAddress Client)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((RateLimitZone Zone, IPAddress Client) x, (RateLimitZone Zone, IPAddress Client) y) =>
            ReferenceEquals(x.Zone, y.Zone) && x.Client.Equals(y.Client);

        public int GetHashCode((RateLimitZone Zone, IPAddress Client) key) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(key.Zone), key.Client);
    }
}
