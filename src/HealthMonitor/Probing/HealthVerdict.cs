namespace StarGuide.HealthMonitor.Probing;

internal enum HealthVerdict
{
    Unknown,
    Healthy,
    Unhealthy,
}
