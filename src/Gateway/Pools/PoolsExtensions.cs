namespace StarGuide.Gateway.Pools;

internal static class PoolsExtensions
{
    public static WebApplicationBuilder AddInstancePools(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoolRegistry>();
        builder.Services.AddHealthChecks().AddCheck<PoolsKnownHealthCheck>("pools");
        return builder;
    }
}
