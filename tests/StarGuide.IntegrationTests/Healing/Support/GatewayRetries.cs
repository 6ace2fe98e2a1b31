using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Gateway.Retries;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// Counts the retries of one gateway hosted in the test process from the moment it is created: the gateway's
/// <c>starguide.gateway.retries</c> counter, <c>starguide_gateway_retries_total</c> on its <c>/metrics</c>. Read from the
/// counter itself, limited to this gateway's meter factory, rather than from <c>/metrics</c>: every gateway in this process
/// (other test classes run alongside) creates a meter of the same name, and each one's Prometheus exporter sums them all.
/// </summary>
internal sealed class GatewayRetries : IDisposable
{
    public const string InstrumentName = "starguide.gateway.retries";

    private readonly MeterListener _listener = new();
    private long _count;

    private GatewayRetries(IMeterFactory gatewayMeters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, gatewayMeters)
                && instrument.Meter.Name == RetryMetrics.MeterName && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    /// <param name="gateway">The gateway's services (<c>ServiceFactory.Services</c>).</param>
    public static GatewayRetries Watch(IServiceProvider gateway) => new(gateway.GetRequiredService<IMeterFactory>());

    /// <summary>Requests the gateway sent again to another instance since <see cref="Watch"/>.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
