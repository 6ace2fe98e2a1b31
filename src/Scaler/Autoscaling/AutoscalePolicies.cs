namespace StarGuide.Scaler.Autoscaling;

internal static class AutoscalePolicies
{
    public const string Proportional = "proportional";
    public const string Threshold = "threshold";
}
