using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.AccessLog;

/// <summary>Duration histograms have bucket bounds in their own unit (seconds), so a latency lands where it belongs.</summary>
public sealed partial class UpstreamDurationBucketsTests
{
    [Fact]
    public async Task A_50_ms_upstream_lands_in_the_bucket_of_its_duration_in_seconds()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(respond: async context =>
        {
            await Task.Delay(50, context.RequestAborted);
            await context.Response.WriteAsync("slow");
        });
        var settings = GatewaySettings.Pools(upstream.Address);
        // A route of its own: gateways of other tests in this process record into the same meters.
        settings["Gateway:Routes:bucketprobe:Path"] = "/bucket-probe";
        settings["Gateway:Routes:bucketprobe:Pool"] = "backend";
        await using var gateway = KestrelGateway.Start(settings);

        (await gateway.Client.GetAsync("/bucket-probe")).Dispose();
        var metrics = await gateway.ManagementClient.GetStringAsync("/metrics");

        var buckets = Bucket().Matches(metrics)
            .Where(m => m.Value.Contains("route=\"bucketprobe\""))
            .ToDictionary(m => m.Groups["le"].Value, m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));
        var seconds = double.Parse(Sum().Match(metrics).Groups["sum"].Value, CultureInfo.InvariantCulture);
        // Seconds, not milliseconds: at least the upstream's 50 ms, and far below the 5 that was the first bound.
        Assert.InRange(seconds, 0.05, 5);
        // Bounds in seconds (0.005 ... 120), and the one observation counted from the first bound at or above it.
        var bounds = buckets.Keys.Where(k => k != "+Inf").Select(k => double.Parse(k, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120], bounds);
        Assert.All(bounds, le => Assert.Equal(le >= seconds ? 1 : 0, buckets[le.ToString(CultureInfo.InvariantCulture)]));
        Assert.Equal(0, buckets["0.025"]);
        Assert.Equal(1, buckets["+Inf"]);
    }

    [GeneratedRegex("starguide_gateway_upstream_duration_seconds_sum\\{[^}]*route=\"bucketprobe\"[^}]*\\} (?<sum>[0-9.eE+-]+)")]
    private static partial Regex Sum();

    [GeneratedRegex("starguide_gateway_upstream_duration_seconds_bucket\\{[^}]*le=\"(?<le>[^\"]+)\"[^}]*\\} (?<count>\\d+)")]
    private static partial Regex Bucket();
}
