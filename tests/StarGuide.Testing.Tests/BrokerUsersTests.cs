using StarGuide.Contracts;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Testing.Tests;

/// <summary>
/// The project's broker users (deploy/images/rabbitmq/definitions.json) as the broker enforces them, on a local node and
/// on the project's image: each may publish its own events and no other, and RabbitMQ refuses a message whose
/// <c>user_id</c> is not its publisher's login (which is what lets consumers trust it).
/// </summary>
public sealed class BrokerUsersTests
{
    /// <summary>Who publishes what (each service's Messaging folder).</summary>
    private static readonly Dictionary<string, Type[]> Publishes = new()
    {
        [ResourceNames.Gateway] = [],
        [ResourceNames.HealthMonitor] = [typeof(InstanceUnhealthy), typeof(InstanceRecovered)],
        [ResourceNames.Scaler] = [typeof(PoolChanged), typeof(InstanceStarted), typeof(InstanceDraining), typeof(InstanceStopped), typeof(ScaleRequested)],
        [ResourceNames.BackupService] = [typeof(BackupCompleted), typeof(BackupFailed)],
        [BrokerUsers.Operator] = [typeof(BackupRequested)],
    };

    /// <summary>Every event, by the exchange MassTransit publishes it to.</summary>
    private static readonly Type[] Events = [.. typeof(PoolChanged).Assembly.GetTypes()
        .Where(t => t.Namespace == "StarGuide.Contracts" && t != typeof(PoolMember) && t.IsPublic)];

    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task Each_user_may_publish_its_own_events_and_no_other(string servers)
    {
        await using var broker = await StartAsync(servers);
        await RawPublish.DeclareExchangesAsync(broker, Events.Select(Exchange));

        var wrong = new List<string>();
        foreach (var (user, own) in Publishes)
        {
            foreach (var type in Events)
            {
                var refusal = await RawPublish.TryAsync(broker, user, Exchange(type));
                var allowed = own.Contains(type);
                if (allowed && refusal is not null)
                {
                    wrong.Add($"{user} may not publish {type.Name}: {refusal.ReplyCode} {refusal.ReplyText}");
                }
                else if (!allowed && refusal?.ReplyCode != 403)
                {
                    wrong.Add($"{user} may publish {type.Name}" + (refusal is null ? "" : $" (refused with {refusal.ReplyCode} {refusal.ReplyText}, not 403)"));
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(Events.Length, Publishes.Values.Sum(p => p.Length)); // every event has exactly one publisher
    }

    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task A_message_whose_user_id_is_not_its_publishers_login_is_refused_by_the_broker(string servers)
    {
        await using var broker = await StartAsync(servers);
        var exchange = Exchange(typeof(InstanceUnhealthy));
        await RawPublish.DeclareExchangesAsync(broker, [exchange]);

        Assert.Null(await RawPublish.TryAsync(broker, ResourceNames.HealthMonitor, exchange));
        var forged = await RawPublish.TryAsync(broker, ResourceNames.HealthMonitor, exchange, userId: ResourceNames.Scaler);

        Assert.NotNull(forged);
        Assert.Equal(406, forged.ReplyCode);
        Assert.Contains("user_id property set to 'scaler' but authenticated user was 'health-monitor'", forged.ReplyText);
    }

    private static string Exchange(Type type) => $"{type.Namespace}:{type.Name}";

    private static async Task<RabbitMqServer> StartAsync(string servers)
    {
        var options = TestOptions.With((ResolutionOptions.ServersVariable, servers));
        if (servers == "containers")
        {
            await DockerRequirement.EngineWithAsync(options.RabbitMqImage);
        }
        return await RabbitMqServer.StartAsync(options, CancellationToken.None);
    }
}
