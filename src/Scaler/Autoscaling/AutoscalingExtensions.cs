using StarGuide.ServiceDefaults;

namespace StarGuide.Scaler.Autoscaling;

internal static class AutoscalingExtensions
{
    /// <summary>
    /// Load-driven sizing of the pools whose <c>Scaler:Pools:&lt;pool&gt;:Autoscaling:Enabled</c> is true: each samples its
    /// signals, asks <see cref="AutoscaleEngine"/> and hands the pool's controller the new size (<see cref="PoolAutoscaler"/>).
    /// </summary>
    public static WebApplicationBuilder AddAutoscaling(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AutoscaledPoolsOptions, AutoscaledPoolsOptionsValidator>(AutoscaledPoolsOptions.SectionName);
        builder.Services.AddSingleton<AutoscalingMetrics>();
        builder.Services.AddHostedService<PoolAutoscalers>();
        return builder;
    }
}
