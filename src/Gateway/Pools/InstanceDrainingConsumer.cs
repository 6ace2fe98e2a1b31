using MassTransit;
using StarGuide.Contracts;
using StarGuide.Gateway.Health;

namespace StarGuide.Gateway.Pools;

/// <summary>An instance is about to leave: no new requests go to it; those in flight finish.</summary>
internal sealed class InstanceDrainingConsumer(InstanceHealthUpdater updater) : IConsumer<InstanceDraining>
{
    public Task Consume(ConsumeContext<InstanceDraining> context)
    {
        var message = context.Message;
        updater.Apply(message.Pool, message.InstanceId, inRotation: false, $"draining until {message.DrainDeadline:O}");
        return Task.CompletedTask;
    }
}
