namespace StarGuide.Gateway.LoadReport;

/// <summary>
/// What this gateway replica reports of each instance's load for the scaler's autoscaling (section
/// <c>Gateway:LoadReport</c>): requests in flight and requests sent, written to Redis every <see cref="Interval"/>
/// under <c>&lt;KeyPrefix&gt;:gateway-load:&lt;replica&gt;</c>, which expires when the replica stops reporting.
/// </summary>
internal sealed class LoadReportOptions
{
    public const string SectionName = "Gateway:LoadReport";

    /// <summary>On when Redis is configured.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two reports.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First part of the Redis key; the scaler reads the same (<c>Scaler:GatewayLoadKeyPrefix</c>).</summary>
    public string KeyPrefix { get; set; } = StarGuide.ServiceDefaults.LoadReports.GatewayLoadReport.DefaultKeyPrefix;
}
