namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// A decision: the new desired size (equal to the old one when nothing changes), why, and, when a change was wanted
/// but not made, what held it back.
/// </summary>
internal sealed record AutoscaleDecision(int Desired, ScaleDirection Direction, string Reason, string? HeldBack)
{
    public static AutoscaleDecision Hold(int desired, string reason, string? heldBack = null) =>
        new(desired, ScaleDirection.None, reason, heldBack);
}

internal enum ScaleDirection
{
    None,
    Up,
    Down,
}
