using StarGuide.HealthMonitor.Probing;

namespace StarGuide.HealthMonitor.Membership;

/// <summary>One pool's trackers by instance id, and the version of the last event applied to it (0: none yet).</summary>
internal sealed class PoolMembers(string name, string healthPath)
{
    public string Name { get; } = name;

    public string HealthPath { get; } = healthPath;

    public long Version { get; set; }

    public Dictionary<string, InstanceHealthTracker> Trackers { get; } = new(StringComparer.OrdinalIgnoreCase);
}
