using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.RateLimiting;

internal static class RateLimitingExtensions
{
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitingOptions, RateLimitingOptionsValidator>(RateLimitingOptions.SectionName);

        var enabled = builder.Configuration.GetValue($"{RateLimitingOptions.SectionName}:Enabled", true);
        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.Redis);
        if (enabled && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Redis} is not set. Rate limits keep their state in Redis: give it as "
                + $"host:port, e.g. ConnectionStrings__{ResourceNames.Redis}=localhost:6379 (the AppHost sets it), or turn "
                + $"limits off with {RateLimitingOptions.SectionName}:Enabled=false.");
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
            return ConnectionMultiplexer.Connect(RedisConfiguration(connectionString ?? "", options));
        });
        builder.Services.AddSingleton<RedisGcraStore>();
        builder.Services.AddSingleton<RedisGcraBatcher>();
        builder.Services.AddSingleton<RateLimitLeases>();
        builder.Services.AddSingleton<InProcessGcraStore>();
        builder.Services.AddSingleton<RateLimitingMetrics>();
        builder.Services.AddSingleton<ClientRateLimiter>();
        if (enabled)
        {
            builder.Services.AddHealthChecks().AddCheck<RedisRateLimitHealthCheck>(ResourceNames.Redis);
        }
        return builder;
    }

    internal static ConfigurationOptions RedisConfiguration(string connectionString, RateLimitingOptions options)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Redis} is not a Redis configuration string (host:port[,options]): {ex.Message}", ex);
        }
        // Keep serving when Redis is down at start or later: the limiter falls back and reconnects in the background.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.AsyncTimeout = Math.Max(1, (int)options.RedisTimeout.TotalMilliseconds);
        configuration.ConnectRetry = 1;
        return configuration;
    }
}
