using System.Collections.Concurrent;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// <see cref="Gcra"/> in this process: the fallback while Redis is unreachable. Same rules, but the budget is per
/// replica. Keys idle past their lifetime are swept so that a flood of client addresses cannot grow it forever.
/// </summary>
internal sealed class InProcessGcraStore(TimeProvider timeProvider)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _nextSweepMs;

    public int Count => _entries.Count;

    public (bool Allowed, long RetryAfterMs) Evaluate(string key, long rateMilli, long burstMilli)
    {
        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(nowMs);
        var entry = _entries.GetOrAdd(key, static _ => new Entry());
        lock (entry)
        {
            var result = Gcra.Evaluate(entry.State, nowMs, rateMilli, burstMilli);
            entry.State = result.State;
            entry.ExpiresMs = nowMs + Gcra.KeyLifetimeMs(rateMilli, burstMilli);
            return (result.Allowed, result.RetryAfterMs);
        }
    }

    private void SweepIfDue(long nowMs)
    {
        var due = Volatile.Read(ref _nextSweepMs);
        if (nowMs < due || Interlocked.CompareExchange(ref _nextSweepMs, nowMs + (long)SweepInterval.TotalMilliseconds, due) != due)
        {
            return;
        }
        foreach (var (key, entry) in _entries)
        {
            if (Volatile.Read(ref entry.ExpiresMs) < nowMs)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private sealed class Entry
    {
        public GcraState? State;
        public long ExpiresMs;
    }
}
