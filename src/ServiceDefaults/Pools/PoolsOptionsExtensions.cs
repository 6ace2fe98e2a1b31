using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace StarGuide.ServiceDefaults.Pools;

public static class PoolsOptionsExtensions
{
    /// <summary>Binds and validates the <c>Pools</c> section at start.</summary>
    public static TBuilder AddPoolsOptions<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<PoolsOptions, PoolsOptionsValidator>(PoolsOptions.SectionName);
        return builder;
    }
}
