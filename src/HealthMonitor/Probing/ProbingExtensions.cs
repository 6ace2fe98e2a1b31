namespace StarGuide.HealthMonitor.Probing;

internal static class ProbingExtensions
{
    public static WebApplicationBuilder AddInstanceProbing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProbingOptions>()
            .BindConfiguration(ProbingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Interval > TimeSpan.Zero, $"{ProbingOptions.SectionName}:Interval must be positive.")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= o.Interval,
                $"{ProbingOptions.SectionName}:Timeout must be positive and not longer than Probing:Interval.")
            .ValidateOnStart();

        // The probe's own timeout decides; HttpClient's 100 s default must not.
        builder.Services.AddHttpClient(InstanceProber.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddSingleton<ProbingMetrics>();
        builder.Services.AddSingleton<InstanceProber>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InstanceProber>());
        return builder;
    }
}
