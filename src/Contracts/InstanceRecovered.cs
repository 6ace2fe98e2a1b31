namespace StarGuide.Contracts;

/// <summary>The health monitor's verdict that an instance that was unhealthy answers its health endpoint again.</summary>
public sealed record InstanceRecovered(
    string InstanceId,
    string Pool,
    Uri Address,
    DateTimeOffset DetectedAt);
