using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Pools;

/// <summary>The built scaler, started as an operator starts it, stops at once on a bad setting and names the key.</summary>
public sealed class StartupValidationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static Task<ProcessOutcome> RunAsync(params string[] args) =>
        ServiceProcess.RunUntilExitAsync("src/Scaler", "StarGuide.Scaler",
            // Not Production: appsettings.Production.json holds the seed's systemd pools.
            ["--environment=Testing", "--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/", .. args], Patience);

    [Fact]
    public async Task Without_a_Redis_connection_string_it_says_what_to_set()
    {
        var outcome = await RunAsync();

        Assert.NotEqual(0, outcome.ExitCode);
        Assert.NotNull(outcome.ExitCode);
        Assert.Contains("ConnectionStrings:redis is not set", outcome.Output);
    }

    [Fact]
    public async Task The_production_settings_are_the_seeds_systemd_pools_and_a_missing_systemctl_is_named()
    {
        // No systemd here: the scaler starts, and each start fails naming the command it could not run.
        var outcome = await ServiceProcess.RunUntilExitAsync("src/Scaler", "StarGuide.Scaler",
            ["--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/", "--ConnectionStrings:redis=127.0.0.1:1",
             "--Scaler:Pools:backend:Systemd:SystemctlPath=/nonexistent/systemctl",
             "--Scaler:Pools:frontend:Systemd:SystemctlPath=/nonexistent/systemctl"],
            // Runs this long, then is killed and read: long enough on a busy machine for start-up and a first failed start.
            TimeSpan.FromSeconds(40));

        Assert.Null(outcome.ExitCode); // still running: a failing driver is retried with back-off, never fatal
        Assert.Contains("The scaler owns 2 pool(s): backend, frontend", outcome.Output);
        Assert.Contains("Pool backend: could not start backend-", outcome.Output);
        Assert.Contains("Could not run `/nonexistent/systemctl", outcome.Output);
        Assert.Contains("next start in", outcome.Output);
    }

    [Fact]
    public async Task Bad_pool_settings_stop_it_naming_every_bad_key()
    {
        var outcome = await RunAsync(
            "--ConnectionStrings:redis=127.0.0.1:1",
            "--Scaler:Pools:backend:MinInstances=3",
            "--Scaler:Pools:backend:MaxInstances=2",
            "--Scaler:Pools:backend:Process:Command=",
            "--Scaler:Pools:backend:DrainTimeout=-00:00:01",
            "--Scaler:Pools:frontend:Driver=ansible",
            "--Scaler:Pools:edge:Driver=docker");

        Assert.NotNull(outcome.ExitCode);
        Assert.NotEqual(0, outcome.ExitCode);
        Assert.Contains("Scaler:Pools:backend:MaxInstances must be at least 1, at least MinInstances (3)", outcome.Output);
        Assert.Contains("Scaler:Pools:backend:Process:Command is required", outcome.Output);
        Assert.Contains("Scaler:Pools:backend:DrainTimeout must be more than 0", outcome.Output);
        Assert.Contains("Scaler:Pools:frontend:Driver must be one of process, docker, systemd, kubernetes; it is 'ansible'", outcome.Output);
        Assert.Contains("Scaler:Pools:edge:Docker:Image is required", outcome.Output);
    }
}
