using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace StarGuide.Testing;

/// <summary>
/// The events a service hosted in the test process refused (ServiceDefaults' <c>starguide.events.refused</c>, exported
/// as <c>starguide_events_refused_total{event,reason}</c>), counted from the moment this is created.
/// </summary>
public sealed class RefusedEvents : IDisposable
{
    private readonly MetricCollector<long> _collector;

    /// <param name="services">The service's own provider (e.g. a WebApplicationFactory's <c>Services</c>).</param>
    public RefusedEvents(IServiceProvider services) =>
        _collector = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), "StarGuide.Messaging", "starguide.events.refused");

    /// <summary>How many <paramref name="eventName"/> (e.g. <c>PoolChanged</c>) were refused for <paramref name="reason"/>.</summary>
    public long Count(string eventName, string reason) => _collector.GetMeasurementSnapshot()
        .Where(m => Equals(m.Tags["event"], eventName) && Equals(m.Tags["reason"], reason))
        .Sum(m => m.Value);

    /// <summary>Every refusal so far as "event/reason", for failure messages.</summary>
    public string Describe() => string.Join(", ", _collector.GetMeasurementSnapshot().Select(m => $"{m.Tags["event"]}/{m.Tags["reason"]}"));

    public void Dispose() => _collector.Dispose();
}
