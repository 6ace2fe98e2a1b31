using StarGuide.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StarGuide.HealthMonitor.Membership;

namespace StarGuide.HealthMonitor.Tests.Support;

/// <summary>The health monitor hosted in the test process with the given configuration.</summary>
internal sealed class MonitorHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<HealthMonitorAssembly>
{
    public PoolMembership Membership => Services.GetRequiredService<PoolMembership>();

    /// <summary>Starts the monitor and returns once its bus is connected (its <c>/health</c> answers 200).</summary>
    public static async Task<MonitorHost> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan within)
    {
        var host = new MonitorHost(settings);
        try
        {
            using var client = host.CreateClient();
            await Eventually.TrueAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, within,
                "the monitor's bus did not connect");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What the monitor logged last, without ASP.NET's health-check service: it logs an error on every failed
    /// <c>/health</c>, and a test polling <c>/health</c> every 50 ms would push every other line out of the buffer.
    /// </summary>
    public RingBufferLoggerProvider Log { get; } =
        new(keepCategory: category => !category.StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
