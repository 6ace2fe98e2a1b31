namespace StarGuide.Scaler.Autoscaling;

/// <summary>Problems in a pool's autoscaling settings, each naming its key.</summary>
internal static class AutoscalingOptionsValidation
{
    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);

    public static IEnumerable<string> Validate(string poolKey, AutoscalingOptions options)
    {
        var key = $"{poolKey}:Autoscaling";
        if (options.Policy is not (AutoscalePolicies.Proportional or AutoscalePolicies.Threshold))
        {
            yield return $"{key}:Policy must be {AutoscalePolicies.Proportional} or {AutoscalePolicies.Threshold}; it is '{options.Policy}'.";
        }
        foreach (var (name, value, zeroAllowed) in new[]
        {
            ("CheckInterval", options.CheckInterval, false), ("SampleInterval", options.SampleInterval, false),
            ("PanicWindow", options.PanicWindow, false), ("MaxSignalAge", options.MaxSignalAge, false),
            ("ScaleUpPeriod", options.ScaleUpPeriod, false), ("ScaleDownPeriod", options.ScaleDownPeriod, false),
            ("ScaleUpWindow", options.ScaleUpWindow, true), ("ScaleDownWindow", options.ScaleDownWindow, true),
        })
        {
            if ((zeroAllowed ? value < TimeSpan.Zero : value <= TimeSpan.Zero) || value > Limit)
            {
                yield return $"{key}:{name} must be {(zeroAllowed ? "between 0" : "more than 0")} and at most {Limit}; it is {value}.";
            }
        }
        if (options.SampleInterval > options.CheckInterval)
        {
            yield return $"{key}:SampleInterval must not be longer than CheckInterval ({options.CheckInterval}); it is {options.SampleInterval}.";
        }
        if (options.Tolerance is < 0 or >= 1)
        {
            yield return $"{key}:Tolerance must be from 0 to below 1 (0.1 = 10 %); it is {options.Tolerance}.";
        }
        if (options.ScaleUpPercent < 0 || options.ScaleUpInstances < 0 || (options.ScaleUpPercent == 0 && options.ScaleUpInstances == 0))
        {
            yield return $"{key}:ScaleUpPercent and ScaleUpInstances must not be negative, and one must be above 0; they are {options.ScaleUpPercent} and {options.ScaleUpInstances}.";
        }
        if (options.ScaleDownInstances < 1)
        {
            yield return $"{key}:ScaleDownInstances must be at least 1; it is {options.ScaleDownInstances}.";
        }
        if (options.PanicThreshold <= 1)
        {
            yield return $"{key}:PanicThreshold must be above 1 (2 = demand at twice the capacity); it is {options.PanicThreshold}.";
        }
        if (options.CpuPercent < 0 || options.RequestsPerSecond < 0 || options.InFlight < 0)
        {
            yield return $"{key}: the targets CpuPercent, RequestsPerSecond and InFlight must not be negative.";
        }
        if (options.Enabled && options.Policy == AutoscalePolicies.Proportional && options.CpuPercent == 0 && options.RequestsPerSecond == 0 && options.InFlight == 0)
        {
            yield return $"{key}: autoscaling is enabled but no signal has a target; set CpuPercent, RequestsPerSecond or InFlight.";
        }
        if (options.Policy == AutoscalePolicies.Threshold && (options.DownBelow < 0 || options.UpAbove <= options.DownBelow))
        {
            yield return $"{key}:UpAbove must be above DownBelow, and DownBelow not negative; they are {options.UpAbove} and {options.DownBelow}.";
        }
    }
}
