namespace StarGuide.HealthMonitor;

/// <summary>Names this assembly for test hosts (<c>WebApplicationFactory&lt;HealthMonitorAssembly&gt;</c>).</summary>
public sealed class HealthMonitorAssembly;
