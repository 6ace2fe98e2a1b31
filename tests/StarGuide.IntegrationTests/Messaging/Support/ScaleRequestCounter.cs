using MassTransit;
using StarGuide.Contracts;

namespace StarGuide.IntegrationTests.Messaging.Support;

/// <summary>An idempotent consumer of <see cref="ScaleRequested"/>, as the scaler's is: a request id applied once.</summary>
internal sealed class ScaleRequestCounter(DeliveryLedger ledger) : IConsumer<ScaleRequested>
{
    public Task Consume(ConsumeContext<ScaleRequested> context)
    {
        ledger.Record(context.Message.RequestId, context.MessageId);
        return Task.CompletedTask;
    }
}
