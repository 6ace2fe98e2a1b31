using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Drivers.Systemd;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Pools;

internal static class PoolsExtensions
{
    /// <summary>The pools the scaler owns: options, drivers, the per-pool controllers, the Redis store and the event outbox.</summary>
    public static WebApplicationBuilder AddOwnedPools(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ScalerOptions, ScalerOptionsValidator>(ScalerOptions.SectionName);
        builder.Services.AddSingleton<IInstanceDriverFactory, ProcessDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, DockerDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, SystemdDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, KubernetesDriverFactory>();

        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.Redis);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Redis} is not set. The scaler keeps each pool's state in Redis: give it as "
                + $"host:port, e.g. ConnectionStrings__{ResourceNames.Redis}=localhost:6379 (the AppHost sets it).");
        }
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConfiguration(connectionString)));

        builder.Services.AddSingleton<PoolStore>();
        builder.Services.AddSingleton<ScalerMetrics>();
        builder.Services.AddSingleton<Autoscaling.AutoscalingMetrics>();
        builder.Services.AddEventOutbox();
        // Everything the scaler publishes carries its scope: its own ScaleRequested is not applied twice (Messaging/ScaleRequestEcho).
        builder.Services.AddOptions<EventOutboxOptions>()
            .Configure<IOptions<ScalerOptions>>((outbox, scaler) => outbox.Headers[Messaging.ScaleRequestEcho.ScopeHeader] = scaler.Value.Scope);
        // What the pools did lately, for the status page (StatusPage/); the pools write it whether a page is open or not.
        builder.Services.AddSingleton<StatusPage.RecentActivity>();
        builder.Services.AddSingleton<PoolControllers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PoolControllers>());
        return builder;
    }

    private static ConfigurationOptions RedisConfiguration(string connectionString)
    {
        try
        {
            var configuration = ConfigurationOptions.Parse(connectionString);
            // The pools run on without Redis: state is stored again once it answers.
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = 2000;
            return configuration;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Redis} is not a Redis configuration string (host:port[,options]): {ex.Message}", ex);
        }
    }
}
