namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>The RabbitMQ user this process logs in as: the user of <c>ConnectionStrings:rabbitmq</c> (MassTransit's <c>guest</c> when it names none).</summary>
public sealed record BrokerUser(string Name)
{
    public static BrokerUser Of(Uri brokerUri)
    {
        var userInfo = brokerUri.UserInfo;
        if (string.IsNullOrEmpty(userInfo))
        {
            return new BrokerUser("guest");
        }
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return new BrokerUser(Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]));
    }
}
