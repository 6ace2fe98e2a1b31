namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// One signal at one moment: its average per ready instance and its target. <paramref name="Complete"/> is false when
/// some ready instance did not report (missing, stale or partial readings may scale up, never down).
/// </summary>
internal sealed record SignalReading(string Name, double Value, double Target, bool Complete, DateTimeOffset At);
