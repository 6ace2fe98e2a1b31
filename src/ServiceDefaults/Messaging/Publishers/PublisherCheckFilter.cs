using MassTransit;
using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// Lets an event reach its consumer only when its AMQP <c>user_id</c> (set by the publisher, checked by RabbitMQ against
/// the publisher's login) is one of the users <see cref="PublishersOptions"/> trusts for it. Every consumer of every
/// service runs behind it (see <see cref="MessageBusExtensions.AddMessageBus{TBuilder}"/>): the broker's permissions
/// say who may publish to an exchange, but a service that may write to its own queues may also write to its peers'
/// queues, which only this check catches.
/// </summary>
internal sealed class PublisherCheckFilter<T>(IOptionsMonitor<PublishersOptions> options, RefusedEvents refused) : IFilter<ConsumeContext<T>>
    where T : class
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("publisherCheck");

    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (!EventGroups.TryGet(typeof(T), options.CurrentValue, out var group, out var users))
        {
            return refused.RefuseAsync(context, "publisher", $"no broker user is trusted to publish {typeof(T).Name}");
        }
        var key = $"{PublishersOptions.SectionName}:{group}";
        return RefusedEvents.PublisherOf(context) switch
        {
            null => refused.RefuseAsync(context, "no-user-id",
                $"the message carries no AMQP user_id; it is accepted from {string.Join(", ", users)} only ({key})"),
            var user when !users.Contains(user, StringComparer.Ordinal) => refused.RefuseAsync(context, "publisher",
                $"it is accepted from {string.Join(", ", users)} only ({key})"),
            _ => next.Send(context),
        };
    }
}
