namespace StarGuide.HealthMonitor.Probing;

/// <summary>What one probe saw: success, or the reason it failed.</summary>
internal readonly record struct ProbeResult(bool Succeeded, string Detail)
{
    public static ProbeResult Success(int statusCode) => new(true, $"HTTP {statusCode}");

    public static ProbeResult Failure(string detail) => new(false, detail);
}
