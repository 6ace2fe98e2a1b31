using System.Diagnostics;
using System.Net;
using StarGuide.Testing;

namespace StarGuide.SampleApps.Tests;

public sealed class BackendOptionsTests
{
    [Fact]
    public async Task Ai_call_waits_Sample_AiDelay_by_default()
    {
        using var factory = new BackendFactory().With("Sample:AiDelay", "00:00:00.150");
        using var client = factory.CreateClient();

        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri("/api/ai/complete", UriKind.Relative));
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {elapsed.TotalMilliseconds} ms");
        Assert.Equal(150, (await response.ReadJsonAsync()).GetProperty("delayMs").GetInt64());
    }

    [Theory]
    [InlineData("Sample:AiDelay", "-00:00:01")]
    [InlineData("Sample:AiDelay", "00:05:01")]
    [InlineData("Sample:InstanceId", " ")]
    public async Task A_bad_setting_stops_the_start_naming_the_key(string key, string value)
    {
        var outcome = await ServiceProcess.RunUntilExitAsync(
            "samples/SampleBackend", "StarGuide.SampleBackend", [$"--{key}={value}"], TimeSpan.FromSeconds(30));

        Assert.NotNull(outcome.ExitCode);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
    }
}
