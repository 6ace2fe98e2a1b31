namespace StarGuide.Scaler.Autoscaling;

/// <summary>What one decision is made from.</summary>
/// <param name="Desired">The pool's desired size now.</param>
/// <param name="Ready">Instances ready now: the capacity the readings were measured on (starting and draining ones are not).</param>
/// <param name="Min">The pool's minimum, raised by an operator's floor.</param>
/// <param name="Max">The pool's maximum, lowered by an operator's ceiling.</param>
/// <param name="Readings">Each signal's latest reading (those with a target only).</param>
internal sealed record AutoscaleInput(int Desired, int Ready, int Min, int Max, IReadOnlyList<SignalReading> Readings);
