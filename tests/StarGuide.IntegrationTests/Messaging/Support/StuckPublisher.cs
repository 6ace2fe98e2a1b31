using MassTransit;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>
/// The publisher of the known issue (docs/messaging-ha.md), made on purpose: once stuck, every publish waits until its
/// caller gives up (the outbox's time limit), as on a channel whose confirmations never come, while the bus reports
/// healthy. <see cref="StickUntilRestart"/>: a restart of the bus by the outbox (a new connection and new channels) ends
/// it; <see cref="StickForever"/>: nothing does.
/// </summary>
internal sealed class StuckPublisher(EventOutbox outbox) : IPublishObserver
{
    private const int Forever = -2;
    private const int Free = -1;
    private int _stuckWhileRestarts = Free;

    public void StickUntilRestart() => Volatile.Write(ref _stuckWhileRestarts, outbox.BusRestarts);

    public void StickForever() => Volatile.Write(ref _stuckWhileRestarts, Forever);

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class =>
        Volatile.Read(ref _stuckWhileRestarts) is var stuck && (stuck == Forever || stuck == outbox.BusRestarts)
            ? Task.Delay(Timeout.Infinite, context.CancellationToken)
            : Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
