namespace StarGuide.Scaler.Autoscaling;

internal static class SignalNames
{
    public const string Cpu = "cpu";
    public const string RequestsPerSecond = "rps";
    public const string InFlight = "inflight";
}
