using MassTransit;
using MassTransit.Context;
using RabbitMQ.Client;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// A received message as RabbitMQ's move transports see it: its <c>user_id</c> becomes the header
/// <see cref="PublishedByHeader"/> (see <see cref="MovesWithoutUserId"/>).
/// </summary>
internal class ReceiveContextWithoutUserId(ReceiveContext context) : ReceiveContextProxy(context)
{
    /// <summary>Who published a message that was moved to an _error or _skipped queue (for people; no consumer trusts it).</summary>
    public const string PublishedByHeader = "x-published-by-user";

    public override bool TryGetPayload<TPayload>(out TPayload payload)
    {
        if (typeof(TPayload) == typeof(RabbitMqBasicConsumeContext)
            && base.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit)
            && rabbit is not null
            && rabbit.Properties.IsUserIdPresent())
        {
            payload = (TPayload)(object)new BasicConsume(rabbit);
            return true;
        }
        return base.TryGetPayload(out payload);
    }

    private sealed class BasicConsume(RabbitMqBasicConsumeContext received) : RabbitMqBasicConsumeContext
    {
        public string Exchange => received.Exchange;

        public string ConsumerTag => received.ConsumerTag;

        public ulong DeliveryTag => received.DeliveryTag;

        public string? RoutingKey => received.RoutingKey;

        public IReadOnlyBasicProperties Properties { get; } = new BasicProperties(received.Properties)
        {
            UserId = null,
            Headers = new Dictionary<string, object?>(received.Properties.Headers ?? new Dictionary<string, object?>())
            {
                [PublishedByHeader] = received.Properties.UserId,
            },
        };
    }
}

/// <summary>The same for a message that faulted.</summary>
internal sealed class ExceptionContextWithoutUserId : ReceiveContextWithoutUserId, ExceptionReceiveContext
{
    private readonly ExceptionReceiveContext _faulted;

    public ExceptionContextWithoutUserId(ExceptionReceiveContext context)
        : base(context) => _faulted = context;

    public Exception Exception => _faulted.Exception;

    public DateTime ExceptionTimestamp => _faulted.ExceptionTimestamp;

    public ExceptionInfo ExceptionInfo => _faulted.ExceptionInfo;

    public SendHeaders ExceptionHeaders => _faulted.ExceptionHeaders;
}
