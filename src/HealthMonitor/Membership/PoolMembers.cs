using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>One pool: its members by the scaler's events (<see cref="View"/>) and a probe tracker for each, by instance id.</summary>
internal sealed class PoolMembers(string name, string healthPath, IEnumerable<KeyValuePair<string, Uri>>? configured = null)
{
    public string Name { get; } = name;

    public string HealthPath { get; } = healthPath;

    /// <summary>The members by the scaler's events, by pool version (the rule the gateway follows too).</summary>
    public VersionedPool<Uri> View { get; } = new(configured: configured);

    public Dictionary<string, InstanceHealthTracker> Trackers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
