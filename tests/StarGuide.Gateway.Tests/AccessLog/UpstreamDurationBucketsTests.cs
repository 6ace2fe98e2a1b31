using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.AccessLog;

/// <summary>Duration histograms have bucket bounds in their own unit (seconds), so a latency lands where it belongs.</summary>
public sealed partial class UpstreamDurationBucketsTests
{
    [Fact]
    public async Task A_50_ms_upstream_lands_above_the_25_ms_bucket_and_within_the_250_ms_one()
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
        Assert.Equal(0, buckets["0.025"]);
        Assert.Equal(1, buckets["0.25"]);
        Assert.Equal(1, buckets["+Inf"]);
    }

    [GeneratedRegex("starguide_gateway_upstream_duration_seconds_bucket\\{[^}]*le=\"(?<le>[^\"]+)\"[^}]*\\} (?<count>\\d+)")]
    private static partial Regex Bucket();
}
