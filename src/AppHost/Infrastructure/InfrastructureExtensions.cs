using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.AppHost.Infrastructure;

internal static class InfrastructureExtensions
{
    /// <summary>RabbitMQ's advanced.config keeping the node's Erlang distribution port on loopback.</summary>
    internal const string LoopbackDistribution = "[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].\n";

    public static IResourceBuilder<IResourceWithConnectionString> AddMessageBroker(
        this IDistributedApplicationBuilder builder, InfrastructurePlan plan)
    {
        if (plan.UseContainers)
        {
            return Generalize(builder, builder.AddRabbitMQ(ResourceNames.RabbitMq).Resource);
        }

        var port = FreePort.Next();
        var distributionPort = FreePort.Next();
        var home = Path.Combine(plan.DataDirectory, ResourceNames.RabbitMq);
        Directory.CreateDirectory(home);
        // No plugins: the management UI would add seconds to every start and want port 15672.
        var pluginsFile = Path.Combine(home, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[].");
        // The Erlang distribution port listens on 0.0.0.0 unless told otherwise.
        var advancedConfig = Path.Combine(home, "advanced.config");
        File.WriteAllText(advancedConfig, LoopbackDistribution);

        // Erlang starts a daemon epmd on the shared port 4369 that outlives the broker; one on a port of its own, run
        // as a resource, is stopped with the AppHost. The broker waits until it listens: a node that finds no epmd
        // starts a daemon of its own on that port, which nothing would stop.
        var epmdPort = FreePort.Next();
        const string epmdName = ResourceNames.RabbitMqEpmd;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            epmdName + "-listening", _ => new TcpPortHealthCheck("epmd", epmdPort), HealthStatus.Unhealthy, tags: null));
        var epmd = builder.AddExecutable(epmdName, plan.Epmd, home, "-port", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithHealthCheck(epmdName + "-listening");

        var uri = new Uri($"amqp://guest:guest@127.0.0.1:{port}/");
        var healthCheck = $"{ResourceNames.RabbitMq}-amqp";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, _ => new AmqpHealthCheck(uri), HealthStatus.Unhealthy, tags: null));

        var resource = new LocalServerResource(ResourceNames.RabbitMq, plan.RabbitMqServer, home,
            ReferenceExpression.Create($"{uri.ToString()}"));
        builder.AddResource(resource)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "amqp", isProxied: false)
            .WithEnvironment("HOME", home)
            .WithEnvironment("RABBITMQ_NODENAME", "starguide-" + port.ToString(CultureInfo.InvariantCulture) + "@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(home, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(home, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(home, "rabbitmq.pid"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("ERL_EPMD_PORT", epmdPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_ADVANCED_CONFIG_FILE", advancedConfig)
            .WaitFor(epmd)
            .WithHealthCheck(healthCheck);
        return Generalize(builder, resource);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(
        this IDistributedApplicationBuilder builder, InfrastructurePlan plan)
    {
        if (plan.UseContainers)
        {
            return Generalize(builder, builder.AddRedis(ResourceNames.Redis).Resource);
        }

        var port = FreePort.Next();
        var dir = Path.Combine(plan.DataDirectory, ResourceNames.Redis);
        Directory.CreateDirectory(dir);
        var connectionString = $"127.0.0.1:{port}";
        var healthCheck = $"{ResourceNames.Redis}-ping";
        builder.Services.AddHealthChecks().AddRedis(connectionString, healthCheck);

        var resource = new LocalServerResource(ResourceNames.Redis, plan.RedisServer, dir,
            ReferenceExpression.Create($"{connectionString}"));
        builder.AddResource(resource)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            // Rate-limit state is short-lived: no snapshots, no append-only file.
            .WithArgs("--port", port.ToString(CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no")
            .WithHealthCheck(healthCheck);
        return Generalize(builder, resource);
    }

    private static IResourceBuilder<IResourceWithConnectionString> Generalize(
        IDistributedApplicationBuilder builder, IResourceWithConnectionString resource) =>
        builder.CreateResourceBuilder(resource);
}
