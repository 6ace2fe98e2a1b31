using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace StarGuide.SampleApps.Tests;

/// <summary>The knobs for load demos: CPU burn, AI delay, and the metrics that show their effect.</summary>
public sealed partial class BackendLoadTests(BackendFactory factory) : IClassFixture<BackendFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task BurnMs_burns_cpu_for_at_least_that_long_before_answering()
    {
        var (response, elapsed) = await TestHelpers.TimeAsync(
            () => _client.GetAsync(new Uri("/api/health?burnMs=200", UriKind.Relative)));

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(200), $"answered after {elapsed.TotalMilliseconds} ms");
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("60001")]
    [InlineData("1&burnMs=2")]
    public async Task A_bad_burnMs_is_400_naming_the_parameter(string value)
    {
        using var response = await _client.GetAsync(new Uri($"/api/anything?burnMs={value}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(BackendFactory.InstanceId, response.InstanceHeader());
        var body = await response.ReadJsonAsync();
        Assert.Contains("'burnMs'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ai_call_waits_the_delay_given_by_delayMs()
    {
        var (response, elapsed) = await TestHelpers.TimeAsync(
            () => _client.PostAsync(new Uri("/api/ai/complete?delayMs=50", UriKind.Relative), null));

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(elapsed >= TimeSpan.FromMilliseconds(50), $"answered after {elapsed.TotalMilliseconds} ms");
            var body = await response.ReadJsonAsync();
            Assert.Equal(50, body.GetProperty("delayMs").GetInt64());
            Assert.Equal("/api/ai/complete", body.GetProperty("path").GetString());
        }
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("300001")]
    public async Task A_bad_delayMs_is_400_naming_the_parameter(string value)
    {
        using var response = await _client.GetAsync(new Uri($"/api/ai/complete?delayMs={value}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains("'delayMs'", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ai_call_stops_waiting_when_the_client_goes_away()
    {
        using (var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetAsync(
                new Uri("/api/ai/complete?delayMs=300000", UriKind.Relative), cancellation.Token));
        }

        // Only the scrape itself is left in flight once the abandoned call has stopped waiting.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        double inFlight;
        do
        {
            inFlight = await ReadMetricAsync("sample_requests_in_flight");
        }
        while (inFlight > 1 && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(1, inFlight);

        static async Task<bool> Pause()
        {
            await Task.Delay(50);
            return true;
        }
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_and_the_request_counter_increments()
    {
        using var response = await _client.GetAsync(new Uri("/api/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE sample_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE sample_requests_in_flight gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_cpu_usage_ratio gauge", text, StringComparison.Ordinal);
        Assert.Contains($"sample_instance_info{{instance=\"{BackendFactory.InstanceId}\"}} 1", text, StringComparison.Ordinal);

        var before = await ReadMetricAsync("sample_requests_total");
        (await _client.GetAsync(new Uri("/api/hello", UriKind.Relative))).Dispose();
        var after = await ReadMetricAsync("sample_requests_total");

        Assert.True(after >= before + 2, $"before {before}, after {after}"); // the echo and the second scrape
        Assert.InRange(await ReadMetricAsync("process_cpu_usage_ratio"), 0, 1);
    }

    private async Task<double> ReadMetricAsync(string name)
    {
        var text = await _client.GetStringAsync(new Uri("/api/metrics", UriKind.Relative));
        var match = MetricLine().Matches(text).Single(m => m.Groups["name"].Value == name);
        return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+) (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
