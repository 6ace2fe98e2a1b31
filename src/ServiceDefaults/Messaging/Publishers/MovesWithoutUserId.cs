using MassTransit;
using MassTransit.Middleware;
using MassTransit.Transports;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// MassTransit moves a message that faulted (to <c>&lt;queue&gt;_error</c>) or that nothing consumed (to
/// <c>_skipped</c>) by publishing a copy with the received AMQP properties, <c>user_id</c> included. That user is the
/// original publisher, not this service, so RabbitMQ would refuse the copy and close the channel, and the message would
/// come back and fail again forever (seen: the consumer's channel closed and reopened on every redelivery). These pipes
/// move a copy without the <c>user_id</c>, naming the publisher in a header for people to read; moved back to its queue
/// by hand, such a message has no user id and is refused, so re-publish it with the publisher's credentials instead.
/// </summary>
internal static class MovesWithoutUserId
{
    public static void Configure(IReceiveEndpointConfigurator endpoint)
    {
        // The same as MassTransit's default error pipe, with the move replaced.
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorMove());
        });
        endpoint.ConfigureDeadLetter(deadLetter => deadLetter.UseFilter(new DeadLetterMove()));
    }

    private sealed class ErrorMove : IFilter<ExceptionReceiveContext>
    {
        public void Probe(ProbeContext context) => context.CreateFilterScope("moveFaultWithoutUserId");

        public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
        {
            if (!context.TryGetPayload(out IErrorTransport? transport))
            {
                throw new TransportException(context.InputAddress, $"The {nameof(IErrorTransport)} was not available on the {nameof(ReceiveContext)}.");
            }
            await transport.Send(new ExceptionContextWithoutUserId(context)).ConfigureAwait(false);
            await next.Send(context).ConfigureAwait(false);
        }
    }

    private sealed class DeadLetterMove : IFilter<ReceiveContext>
    {
        public void Probe(ProbeContext context) => context.CreateFilterScope("deadLetterWithoutUserId");

        public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
        {
            if (!context.TryGetPayload(out IDeadLetterTransport? transport))
            {
                throw new TransportException(context.InputAddress, $"The {nameof(IDeadLetterTransport)} was not available on the {nameof(ReceiveContext)}.");
            }
            await transport.Send(new ReceiveContextWithoutUserId(context), "dead-letter").ConfigureAwait(false);
            await next.Send(context).ConfigureAwait(false);
        }
    }
}
