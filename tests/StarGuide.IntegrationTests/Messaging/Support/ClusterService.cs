using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>
/// A service as the scaler is on the bus, in this process: ServiceDefaults' bus (the scaler's broker user, its queue
/// <c>scaler</c>, publisher confirms, the outbox) with an idempotent <c>ScaleRequested</c> consumer that records each
/// delivery in <see cref="Ledger"/>. Configured as a deployment would be: <c>ConnectionStrings:rabbitmq</c> plus
/// <paramref name="settings"/> (e.g. <c>MessageBus:Nodes</c>).
/// </summary>
internal sealed class ClusterService : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterService(IHost host) => _host = host;

    public DeliveryLedger Ledger => _host.Services.GetRequiredService<DeliveryLedger>();

    public EventOutbox Outbox => _host.Services.GetRequiredService<EventOutbox>();

    public IBusControl Bus => _host.Services.GetRequiredService<IBusControl>();

    /// <summary>Cancelled once the service is stopping (by its test, or by itself).</summary>
    public CancellationToken Stopping => _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;

    public static async Task<ClusterService> StartAsync(string connectionString, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            [$"ConnectionStrings:{ResourceNames.RabbitMq}"] = connectionString,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DeliveryLedger>();
        builder.Services.AddEventOutbox();
        builder.AddMessageBus(ResourceNames.Scaler, bus => bus.AddConsumer<ScaleRequestCounter>().Endpoint(e => e.Name = ResourceNames.Scaler));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new ClusterService(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
