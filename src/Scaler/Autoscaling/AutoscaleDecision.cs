namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// A decision: the new desired size (equal to the old one when nothing changes), why, and, when a change was wanted
/// but not made, what held it back. <see cref="Kind"/> labels it for the metrics (one of <see cref="ReasonKinds"/>): of
/// a change, its reason's; of a hold, what held it back.
/// </summary>
internal sealed record AutoscaleDecision(int Desired, ScaleDirection Direction, string Reason, string? HeldBack, string Kind = ReasonKinds.Load)
{
    public static AutoscaleDecision Hold(int desired, string reason, string? heldBack = null, string kind = ReasonKinds.Load) =>
        new(desired, ScaleDirection.None, reason, heldBack, kind);
}

/// <summary>The labels of <see cref="AutoscaleDecision.Kind"/> (metric label <c>reason</c>).</summary>
internal static class ReasonKinds
{
    /// <summary>The signals against their targets.</summary>
    public const string Load = "load";

    /// <summary>A burst over the panic threshold within the panic window.</summary>
    public const string Burst = "burst";

    /// <summary>The pool's minimum or maximum (with any operator floor or ceiling).</summary>
    public const string Bounds = "bounds";

    public const string RateLimit = "rate-limit";

    public const string ScaleUpWindow = "scale-up-window";

    public const string ScaleDownWindow = "scale-down-window";

    /// <summary>No scale-down for a scale-down window after a burst.</summary>
    public const string AfterBurst = "after-burst";

    public const string NoReadings = "no-readings";
}

internal enum ScaleDirection
{
    None,
    Up,
    Down,
}
