using MassTransit;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>
/// The publisher of the known issue (docs/messaging-ha.md), made on purpose: once armed, every publish waits until its
/// caller gives up (the outbox's time limit), as on a channel whose confirmations never come, while the bus reports
/// healthy; only a restart of the bus by the outbox (a new connection and new channels) ends it.
/// </summary>
internal sealed class PublisherStuckUntilRestart(EventOutbox outbox) : IPublishObserver
{
    private int _stuckWhileRestarts = -1;

    /// <summary>Publishes hang from now until the outbox restarts the bus.</summary>
    public void Arm() => Volatile.Write(ref _stuckWhileRestarts, outbox.BusRestarts);

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class =>
        Volatile.Read(ref _stuckWhileRestarts) == outbox.BusRestarts
            ? Task.Delay(Timeout.Infinite, context.CancellationToken)
            : Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
