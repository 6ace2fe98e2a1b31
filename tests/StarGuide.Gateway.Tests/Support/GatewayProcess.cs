using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>The built gateway as a real process, for start-up failures (an in-process host reports them unreliably).</summary>
public static class GatewayProcess
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

    /// <summary>Runs the gateway with these settings (plus an unreachable broker) until it exits or is killed.</summary>
    public static Task<ProcessOutcome> RunUntilExitAsync(Dictionary<string, string> settings)
    {
        settings.TryAdd("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
        foreach (var (key, value) in GatewaySettings.Pools(null))
        {
            settings.TryAdd(key, value!);
        }
        return ServiceProcess.RunUntilExitAsync("src/Gateway", "StarGuide.Gateway",
            settings.Select(s => $"--{s.Key}={s.Value}"), StartBound);
    }

    /// <summary>Runs the gateway with these settings, asserts that it stopped with a failure, and returns its output.</summary>
    public static async Task<string> AssertStopsAtStartAsync(Dictionary<string, string> settings)
    {
        var outcome = await RunUntilExitAsync(settings);
        Assert.NotNull(outcome.ExitCode);
        Assert.NotEqual(0, outcome.ExitCode);
        return outcome.Output;
    }
}
