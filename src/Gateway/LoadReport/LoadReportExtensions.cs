using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.LoadReport;

internal static class LoadReportExtensions
{
    /// <summary>Reports instance load to Redis for the scaler, when Redis is configured and the report is not turned off.</summary>
    public static WebApplicationBuilder AddLoadReport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoadReportOptions>()
            .BindConfiguration(LoadReportOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero && o.Interval <= TimeSpan.FromMinutes(1),
                $"{LoadReportOptions.SectionName}:Interval must be more than 0 and at most a minute.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), $"{LoadReportOptions.SectionName}:KeyPrefix must not be empty.")
            .ValidateOnStart();
        var enabled = builder.Configuration.GetValue($"{LoadReportOptions.SectionName}:Enabled", true);
        if (enabled && !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ResourceNames.Redis)))
        {
            builder.Services.AddHostedService<LoadReporter>();
        }
        return builder;
    }
}
