using MassTransit;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

public static class UserIdStamp
{
    /// <summary>
    /// Sets AMQP's <c>user_id</c> on everything this bus publishes or sends to <paramref name="user"/>, the user it logs
    /// in as. RabbitMQ refuses a message whose <c>user_id</c> is not the connection's user (it closes the channel), so a
    /// consumer can trust the property: it says which service's credentials published the event.
    /// </summary>
    public static void StampUserId(this IRabbitMqBusFactoryConfigurator rabbit, BrokerUser user)
    {
        // MassTransit runs its publish pipe for Publish and its send pipe for Send: each needs the stamp.
        rabbit.ConfigurePublish(publish => publish.UseExecute(context => Stamp(context, user.Name)));
        rabbit.ConfigureSend(send => send.UseExecute(context => Stamp(context, user.Name)));
    }

    private static void Stamp(SendContext context, string user)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit))
        {
            rabbit.BasicProperties.UserId = user;
        }
    }
}
