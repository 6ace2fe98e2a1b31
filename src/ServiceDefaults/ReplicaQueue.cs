using MassTransit;

namespace StarGuide.ServiceDefaults;

/// <summary>
/// A queue of this process's own, for events that every replica of a service must see (health verdicts, pool
/// changes): on a queue shared by the replicas each event would reach one of them only. The queue is durable (a broker
/// restart keeps what is in it) and expires <see cref="Expiry"/> after its replica is gone. Its consumers take one
/// message at a time, in queue order: pool events are incremental, and a verdict must not overtake the instance's
/// arrival. (Versions make duplicates harmless; order makes increments safe.)
/// </summary>
public sealed class ReplicaQueue
{
    /// <summary>How long the broker keeps the queue once no replica consumes from it.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    private readonly IBusRegistrationConfigurator _bus;

    internal ReplicaQueue(IBusRegistrationConfigurator bus, string serviceName)
    {
        _bus = bus;
        Name = $"{serviceName}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"
            .ToLowerInvariant();
    }

    /// <summary>The queue's name: the service name, the machine, the process and a random part.</summary>
    public string Name { get; }

    /// <summary>Consumes <typeparamref name="TConsumer"/>'s messages on this queue.</summary>
    public ReplicaQueue AddConsumer<TConsumer>()
        where TConsumer : class, IConsumer
    {
        _bus.AddConsumer<TConsumer>().Endpoint(e =>
        {
            e.Name = Name;
            e.ConcurrentMessageLimit = 1;
        });
        return this;
    }
}
