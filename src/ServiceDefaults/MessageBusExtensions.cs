using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Messaging;
using StarGuide.ServiceDefaults.Messaging.Publishers;

namespace StarGuide.ServiceDefaults;

public static class MessageBusExtensions
{
    /// <summary>
    /// The one bus registration every service uses: RabbitMQ from <c>ConnectionStrings:rabbitmq</c>, durable
    /// queues and exchanges, publisher confirms, consumer retry with exponential back-off, and kebab-case queue
    /// names prefixed with <paramref name="serviceName"/> so that two services consuming one event each get their
    /// own copy. MassTransit adds its bus to <c>/health</c>.
    /// Every message it publishes carries the broker user it logs in as (AMQP <c>user_id</c>, which RabbitMQ verifies),
    /// and every consumer sees only events whose user <c>MessageBus:Publishers</c> trusts (see <see cref="PublishersOptions"/>).
    /// With <c>MessageBus:Nodes</c> the service connects to a cluster's nodes in turn, and its queues are quorum queues
    /// (<c>MessageBus:QuorumQueues</c>; see <see cref="BrokerNodes"/> and <see cref="QuorumQueues"/>, docs/messaging-ha.md).
    /// </summary>
    public static TBuilder AddMessageBus<TBuilder>(
        this TBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.RabbitMq);
        var brokerUri = ParseBrokerUri(connectionString);
        var brokerUser = BrokerUser.Of(brokerUri);

        builder.Services.AddOptions<MessageBusOptions>()
            .BindConfiguration(MessageBusOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMinInterval > TimeSpan.Zero && o.RetryMinInterval <= o.RetryMaxInterval,
                $"{MessageBusOptions.SectionName}:RetryMinInterval must be positive and not above RetryMaxInterval.")
            .Validate(o => o.MaxPoolVersionAhead > TimeSpan.Zero && o.MaxPoolVersionAhead <= TimeSpan.FromDays(1),
                $"{MessageBusOptions.SectionName}:MaxPoolVersionAhead must be more than 0 and at most one day.")
            .Validate(o => BrokerNodes.IsValid(o.Nodes), BrokerNodes.Format + ".")
            .ValidateOnStart();
        builder.Services.AddValidatedOptions<PublishersOptions, PublishersOptionsValidator>(PublishersOptions.SectionName);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton(brokerUser);
        builder.Services.AddSingleton<RefusedEvents>();

        builder.Services.AddSingleton(sp => BrokerNodes.Of(sp.GetRequiredService<IOptions<MessageBusOptions>>().Value.Nodes, brokerUri));
        AddBrokerConnectionLog(builder.Services);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            // MassTransit 8.4+ reports usage to its vendor over the internet by default: a service here talks to its
            // broker only (on an internal network the attempt failed with a stack trace in every service's log).
            bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessageBusOptions>>().Value;
                if (options.QuorumQueues ?? context.GetRequiredService<BrokerNodes>().IsCluster)
                {
                    QuorumQueues.Configure(endpoint);
                }
                endpoint.UseMessageRetry(r => r.Exponential(
                    options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval));
                // Nothing consumes Fault<T>: not publishing it spares every consumer the permission to declare and
                // write MassTransit's fault exchanges (a faulted message still goes to the queue's _error queue).
                endpoint.PublishFaults = false;
                MovesWithoutUserId.Configure(endpoint);
                endpoint.UseConsumeFilter(typeof(PublisherCheckFilter<>), context);
            });

            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var nodes = context.GetRequiredService<BrokerNodes>();
                rabbit.Host(brokerUri, host =>
                {
                    host.PublisherConfirmation = true;
                    if (nodes.Configured)
                    {
                        host.UseCluster(cluster => nodes.Addresses.ToList().ForEach(cluster.Node));
                    }
                });
                rabbit.StampUserId(brokerUser);
                rabbit.Durable = true;
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// The service's <see cref="EventOutbox"/>: what it publishes goes through it, in order, each event until the broker
    /// confirms it; a bus that gets nothing confirmed for <c>EventOutbox:StallAfter</c> is restarted.
    /// </summary>
    public static IServiceCollection AddEventOutbox(this IServiceCollection services)
    {
        services.AddOptions<EventOutboxOptions>()
            .BindConfiguration(EventOutboxOptions.SectionName)
            .Validate(o => o.StallAfter >= EventOutboxOptions.MinStallAfter && o.StallAfter <= TimeSpan.FromHours(1),
                $"{EventOutboxOptions.SectionName}:StallAfter must be at least 00:00:10 (one publish attempt) and at most 01:00:00.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<EventOutbox>());
        return services;
    }

    /// <summary>
    /// One "waiting for RabbitMQ" / "connected" line per outage in place of MassTransit's stack trace per connection
    /// retry: the host's <see cref="ILoggerFactory"/> is wrapped so that those entries reach the reporter instead.
    /// </summary>
    private static void AddBrokerConnectionLog(IServiceCollection services)
    {
        services.AddSingleton<BrokerConnectionState>();
        services.AddSingleton(sp => new BrokerAddress(sp.GetRequiredService<BrokerNodes>().Display));
        services.AddHostedService<BrokerConnectionReporter>();
        var factory = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory));
        if (factory?.ImplementationType is not { } implementation)
        {
            return; // a host that built its logger factory another way keeps MassTransit's own lines
        }
        services.Remove(factory);
        services.AddSingleton<ILoggerFactory>(sp => new BrokerNoiseLoggerFactory(
            (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, implementation), sp.GetRequiredService<BrokerConnectionState>()));
    }

    internal static Uri ParseBrokerUri(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.RabbitMq} is not set. Give the RabbitMQ broker as an AMQP URI, "
                + $"e.g. ConnectionStrings__{ResourceNames.RabbitMq}=amqp://guest:guest@localhost:5672/ "
                + "(the AppHost sets it for you).");
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri)
            || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.RabbitMq} must be an amqp:// or amqps:// URI, "
                + $"e.g. amqp://guest:guest@localhost:5672/; it is '{Redact(connectionString)}'.");
        }
        return uri;
    }

    private static string Redact(string value)
    {
        var at = value.LastIndexOf('@');
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 ? string.Concat(value.AsSpan(0, scheme + 3), "***", value.AsSpan(at)) : value;
    }
}
