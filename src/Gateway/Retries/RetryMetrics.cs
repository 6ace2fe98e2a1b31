using System.Diagnostics.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Retries;

/// <summary>Requests sent again to another instance, by pool and by what went wrong with the first attempt.</summary>
internal sealed class RetryMetrics
{
    public const string MeterName = "StarGuide.Gateway.Retries";

    private readonly Counter<long> _retries;

    public RetryMetrics(IMeterFactory meterFactory) =>
        _retries = meterFactory.Create(MeterName).CreateCounter<long>("starguide.gateway.retries", "{request}",
            "Requests whose first attempt failed before any response byte and were sent to another instance");

    public void Retried(string pool, ForwarderError error) => _retries.Add(1,
        new KeyValuePair<string, object?>("pool", pool),
        new KeyValuePair<string, object?>("error", error.ToString()));
}
