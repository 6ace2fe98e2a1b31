namespace StarGuide.ServiceDefaults.Pools;

/// <summary>One pool of interchangeable instances (nginx <c>upstream</c>).</summary>
public sealed class PoolOptions
{
    /// <summary>Path probed by the health monitor on every instance; 2xx means healthy.</summary>
    public string HealthPath { get; set; } = "/health";

    /// <summary>The instances, primaries and backups.</summary>
    public List<InstanceOptions> Instances { get; set; } = [];
}
