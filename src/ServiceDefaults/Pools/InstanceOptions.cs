namespace StarGuide.ServiceDefaults.Pools;

/// <summary>One instance of a pool (nginx <c>server</c> line).</summary>
public sealed class InstanceOptions
{
    /// <summary>Stable id, unique in its pool, e.g. <c>backend-1</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Base address, e.g. <c>http://127.0.0.1:8001</c>.</summary>
    public string Address { get; set; } = "";

    /// <summary>Relative share of traffic (nginx <c>weight</c>), 1 to 100.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>A standby that gets traffic only while no primary is healthy (nginx <c>backup</c>).</summary>
    public bool Backup { get; set; }
}
