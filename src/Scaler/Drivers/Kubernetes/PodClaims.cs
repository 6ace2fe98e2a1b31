namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>
/// The pods that this driver's starts have returned. The ReplicaSet, not the driver, creates pods, so a start cannot
/// name its pod: it takes the oldest new one. Starts run in parallel (the pool controller starts each instance in the
/// background), and two starts that listed the pods before either replica existed both see both new pods; each takes
/// the oldest one no other start has claimed, in one lock, so no pod is returned twice.
/// </summary>
internal sealed class PodClaims
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _claimed = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>To be taken just before a listing whose pods are passed to <see cref="Prune"/>.</summary>
    public long BeginListing()
    {
        lock (_lock)
        {
            return ++_clock;
        }
    }

    /// <summary>Claims the first of <paramref name="candidates"/> (in order of preference) that is not claimed yet; null when all are.</summary>
    public string? ClaimFirst(IEnumerable<string> candidates)
    {
        lock (_lock)
        {
            foreach (var pod in candidates)
            {
                if (_claimed.TryAdd(pod, ++_clock))
                {
                    return pod;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Forgets the claims on pods that a listing begun after them no longer shows (deleted: Kubernetes never reuses a
    /// pod's name while it exists, and a claimed pod was listed when it was claimed).
    /// </summary>
    public void Prune(long listing, IEnumerable<string> listed)
    {
        lock (_lock)
        {
            var present = listed.ToHashSet(StringComparer.Ordinal);
            foreach (var pod in _claimed.Where(c => c.Value < listing && !present.Contains(c.Key)).Select(c => c.Key).ToList())
            {
                _claimed.Remove(pod);
            }
        }
    }
}
