using System.Diagnostics.Metrics;
using Yarp.ReverseProxy;

namespace StarGuide.Gateway.Health;

/// <summary>
/// Per instance, whether the gateway would send it a new request now (1) or not (0: reported unhealthy, draining, or
/// taken out by passive health), read from YARP's live state when Prometheus scrapes.
/// </summary>
internal sealed class InstanceHealthMetrics
{
    public InstanceHealthMetrics(IMeterFactory meterFactory, IProxyStateLookup proxyState)
    {
        var meter = meterFactory.Create("StarGuide.Gateway.Health");
        meter.CreateObservableGauge("starguide.gateway.instance.available", () => Observe(proxyState), "1",
            "1 when the instance is in rotation, 0 when it is not");
    }

    private static IEnumerable<Measurement<int>> Observe(IProxyStateLookup proxyState)
    {
        foreach (var cluster in proxyState.GetClusters())
        {
            var available = cluster.DestinationsState.AvailableDestinations;
            foreach (var destination in cluster.Destinations.Values)
            {
                yield return new Measurement<int>(available.Contains(destination) ? 1 : 0,
                    new KeyValuePair<string, object?>("pool", cluster.ClusterId),
                    new KeyValuePair<string, object?>("instance", destination.DestinationId));
            }
        }
    }
}
