using System.Diagnostics.Metrics;

namespace StarGuide.Gateway.PassiveHealth;

/// <summary>Instances taken out of rotation by max_fails / fail_timeout.</summary>
internal sealed class PassiveHealthMetrics
{
    public const string MeterName = "StarGuide.Gateway.PassiveHealth";

    private readonly Counter<long> _ejections;

    public PassiveHealthMetrics(IMeterFactory meterFactory) =>
        _ejections = meterFactory.Create(MeterName).CreateCounter<long>("starguide.gateway.passive_ejections", "{ejection}",
            "Times an instance failed MaxFails times within FailTimeout and was taken out for FailTimeout");

    public void Ejected(string pool, string instance) => _ejections.Add(1,
        new KeyValuePair<string, object?>("pool", pool),
        new KeyValuePair<string, object?>("instance", instance));
}
