using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary><c>GET /api/metrics</c>: this instance's load in the Prometheus text format (version 0.0.4).</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", Render);
        return app;
    }

    private static IResult Render(RequestCounters counters, CpuUsageSampler cpu, IOptions<SampleBackendOptions> options)
    {
        var text = new StringBuilder();
        AppendMetric(text, "sample_requests_total", "counter",
            "Requests received by this instance, this scrape included.", counters.Total);
        AppendMetric(text, "sample_requests_in_flight", "gauge",
            "Requests being handled by this instance now, this scrape included.", counters.InFlight);
        AppendMetric(text, "process_cpu_usage_ratio", "gauge",
            "CPU used by this process over the last second, as a share of all its cores (0..1).",
            cpu.UsageRatio);
        AppendMetric(text, "sample_instance_info", "gauge",
            "Always 1; the label names this instance.", 1,
            labels: $"{{instance=\"{EscapeLabelValue(options.Value.InstanceId)}\"}}");
        return Results.Text(text.ToString(), ContentType);
    }

    private static void AppendMetric(
        StringBuilder text, string name, string type, string help, double value, string labels = "")
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n")
            .Append(CultureInfo.InvariantCulture, $"# TYPE {name} {type}\n")
            .Append(CultureInfo.InvariantCulture, $"{name}{labels} {value:0.######}\n");
    }

    private static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
}
