namespace StarGuide.Gateway.Pools;

internal static class InstancePoolsExtensions
{
    public static WebApplicationBuilder AddInstancePools(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoolRegistry>();
        builder.Services.AddOptions<PoolStartOptions>()
            .BindConfiguration(PoolStartOptions.SectionName)
            .Validate(o => o.Hold >= TimeSpan.Zero && o.Hold <= TimeSpan.FromMinutes(1),
                $"{PoolStartOptions.SectionName}:Hold must be from 0 (off) to a minute.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PoolStartHold>();
        builder.Services.AddHealthChecks().AddCheck<PoolsKnownHealthCheck>("pools");
        return builder;
    }
}
