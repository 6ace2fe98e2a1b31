using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.Gateway.Health;

/// <summary>Takes an instance out of rotation. Idempotent: a duplicate leaves it out.</summary>
internal sealed class InstanceUnhealthyConsumer(InstanceHealthUpdater updater) : IConsumer<InstanceUnhealthy>
{
    public Task Consume(ConsumeContext<InstanceUnhealthy> context)
    {
        var message = context.Message;
        updater.Apply(message.Pool, message.InstanceId, inRotation: false, message.Reason);
        return Task.CompletedTask;
    }
}
