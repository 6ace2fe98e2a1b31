namespace StarGuide.Scaler.Pools;

/// <summary>The scaler's settings (section <c>Scaler</c>).</summary>
internal sealed class ScalerOptions
{
    public const string SectionName = "Scaler";

    /// <summary>The pools the scaler owns, by name (the gateway's cluster and the events' <c>Pool</c>).</summary>
    public Dictionary<string, ScalerPoolOptions> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Names this scaler's instances and stored state (Redis keys, process environment), so that two systems on one
    /// machine or one Redis never adopt each other's instances.
    /// </summary>
    public string Scope { get; set; } = "starguide";

    /// <summary>How often each pool compares what runs with what should, besides reacting to events at once.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often each pool's whole membership (<c>PoolChanged</c>) is published again, for services that restarted.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop every instance when the scaler stops (local development); otherwise they keep running and are re-adopted.</summary>
    public bool StopInstancesOnShutdown { get; set; }

    /// <summary>First part of the Redis keys the gateways report instance load under (their <c>Gateway:LoadReport:KeyPrefix</c>).</summary>
    public string GatewayLoadKeyPrefix { get; set; } = StarGuide.ServiceDefaults.LoadReports.GatewayLoadReport.DefaultKeyPrefix;
}
