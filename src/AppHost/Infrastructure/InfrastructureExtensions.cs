using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.AppHost.Infrastructure;

internal static class InfrastructureExtensions
{
    /// <summary>RabbitMQ's advanced.config keeping the node's Erlang distribution port on loopback.</summary>
    internal const string LoopbackDistribution = "[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].\n";

    /// <summary>
    /// RabbitMQ with the project's users (deploy/images/rabbitmq/definitions.json: one per service, each with only the
    /// permissions it needs) and passwords made up for this run.
    /// </summary>
    public static MessageBroker AddMessageBroker(this IDistributedApplicationBuilder builder, InfrastructurePlan plan)
    {
        var passwords = MessageBroker.NewPasswords();
        return plan.UseContainers ? AddBrokerContainer(builder, plan, passwords) : AddLocalBroker(builder, plan, passwords);
    }

    private static MessageBroker AddBrokerContainer(IDistributedApplicationBuilder builder, InfrastructurePlan plan, IReadOnlyDictionary<string, string> passwords)
    {
        const string admin = "guest"; // Aspire's default user name
        var adminPassword = RandomNumberGenerator.GetHexString(24, lowercase: true);
        var rabbit = builder.AddRabbitMQ(ResourceNames.RabbitMq,
            password: builder.AddParameter(ResourceNames.RabbitMq + "-password", adminPassword, secret: true));
        // The project's image (deploy/images/rabbitmq) creates the users from these variables...
        foreach (var (user, password) in passwords)
        {
            rabbit.WithEnvironment(BrokerUsers.PasswordVariable(user), password);
        }
        // ...and RabbitMQ's public image, which knows nothing of them, loads the same definitions from a file.
        var dir = Path.Combine(plan.DataDirectory, ResourceNames.RabbitMq);
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
        {
            // The passwords are in it; the container reads the mounted files whatever the folder's mode.
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var definitions = Path.Combine(dir, "definitions.json");
        File.WriteAllText(definitions, BrokerUsers.Definitions(admin, adminPassword, passwords));
        var config = Path.Combine(dir, "90-starguide.conf");
        File.WriteAllText(config, "load_definitions = /etc/rabbitmq/starguide-definitions.json\n");
        rabbit.WithBindMount(definitions, "/etc/rabbitmq/starguide-definitions.json", isReadOnly: true)
            .WithBindMount(config, "/etc/rabbitmq/conf.d/90-starguide.conf", isReadOnly: true);

        var endpoint = rabbit.Resource.PrimaryEndpoint;
        return new MessageBroker(Generalize(builder, rabbit.Resource), passwords, (user, password) => ReferenceExpression.Create(
            $"amqp://{user}:{password}@{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}/"));
    }

    private static MessageBroker AddLocalBroker(IDistributedApplicationBuilder builder, InfrastructurePlan plan, IReadOnlyDictionary<string, string> passwords)
    {
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
        // The project's users, loaded at start; guest/guest (loopback only) stays the administrator, for tools.
        var definitions = Path.Combine(home, "definitions.json");
        File.WriteAllText(definitions, BrokerUsers.Definitions("guest", "guest", passwords));
        var config = Path.Combine(home, "rabbitmq.conf");
        File.WriteAllText(config, $"load_definitions = {definitions}\n");

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
            .WithEnvironment("RABBITMQ_CONFIG_FILE", config)
            .WaitFor(epmd)
            .WithHealthCheck(healthCheck);
        return new MessageBroker(Generalize(builder, resource), passwords,
            (user, password) => ReferenceExpression.Create($"{BrokerUsers.For(uri, user, password).AbsoluteUri}"));
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
