using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.Gateway.Health;

/// <summary>Puts an instance back in rotation. Idempotent: a duplicate leaves it in.</summary>
internal sealed class InstanceRecoveredConsumer(InstanceHealthUpdater updater) : IConsumer<InstanceRecovered>
{
    public Task Consume(ConsumeContext<InstanceRecovered> context)
    {
        var message = context.Message;
        updater.Apply(message.Pool, message.InstanceId, inRotation: true, "health monitor reports it healthy");
        return Task.CompletedTask;
    }
}
