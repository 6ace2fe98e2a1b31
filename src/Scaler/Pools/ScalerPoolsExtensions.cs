using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.Scaler.Drivers;
using StarGuide.ServiceDefaults;

namespace StarGuide.Scaler.Pools;

internal static class ScalerPoolsExtensions
{
    /// <summary>
    /// The pools the scaler owns: their settings (checked at start), one controller per pool, the Redis store a restarted
    /// scaler carries on from, and the pools' metrics. What they publish goes through the event outbox (<c>AddPoolEvents</c>),
    /// what they did to an <see cref="IPoolActivity"/> (the status page's, or nowhere without <c>AddStatusPage</c>), and
    /// their instances are started by the drivers of <c>AddInstanceDrivers</c>.
    /// </summary>
    public static WebApplicationBuilder AddPools(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ScalerOptions, ScalerOptionsValidator>(ScalerOptions.SectionName);
        builder.Services.AddOptions<DriverScopeOptions>()
            .Configure<IOptions<ScalerOptions>>((drivers, scaler) => drivers.Scope = scaler.Value.Scope);

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
        builder.Services.TryAddSingleton<IPoolActivity, NoPoolActivity>();
        builder.Services.AddSingleton<PoolControllers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PoolControllers>());
        return builder;
    }

    /// <summary>Where the pools' activity goes when no status page keeps it.</summary>
    private sealed class NoPoolActivity : IPoolActivity
    {
        public void Add(ActivityEntry entry)
        {
        }
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
