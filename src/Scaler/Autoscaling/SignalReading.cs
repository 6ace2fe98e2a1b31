namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// One signal at one moment: its average per ready instance and its target. <paramref name="Complete"/> is false when
/// some ready instance did not report (missing or partial readings may scale up, never down; stale ones are not used).
/// </summary>
internal sealed record SignalReading(string Name, double Value, double Target, bool Complete, DateTimeOffset At);
