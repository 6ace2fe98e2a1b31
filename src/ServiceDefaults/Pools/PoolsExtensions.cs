using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Pools;

public static class PoolsExtensions
{
    /// <summary>Binds and validates the <c>Pools</c> section at start.</summary>
    public static TBuilder AddPoolsOptions<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<PoolsOptions>()
            .BindConfiguration(PoolsOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<PoolsOptions>, PoolsOptionsValidator>());
        return builder;
    }
}
