using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace StarGuide.AppHost.Infrastructure;

/// <summary>Healthy once the broker accepts an AMQP connection (the port opens seconds before it does).</summary>
internal sealed class AmqpHealthCheck(Uri amqpUri) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = amqpUri, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ at {amqpUri.Host}:{amqpUri.Port} does not accept AMQP yet", ex);
        }
    }
}
