using System.ComponentModel.DataAnnotations;

namespace StarGuide.HealthMonitor.Probing;

/// <summary>Active health probing of every instance (section <c>Probing</c>).</summary>
internal sealed class ProbingOptions
{
    public const string SectionName = "Probing";

    /// <summary>Time between two probes of one instance.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A probe that has no answer after this long counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed probes in a row that make an instance unhealthy.</summary>
    [Range(1, 100)]
    public int UnhealthyThreshold { get; set; } = 2;

    /// <summary>Successful probes in a row that make an unhealthy instance healthy again.</summary>
    [Range(1, 100)]
    public int HealthyThreshold { get; set; } = 2;
}
