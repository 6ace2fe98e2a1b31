using StarGuide.Testing;

namespace StarGuide.Deploy.Tests.CommandLine;

/// <summary>
/// Each service's built binary as a new operator first meets it: <c>--help</c> explains it, and a missing or bad
/// setting is one line naming the key with exit code 2, never an unhandled-exception stack trace.
/// </summary>
public class ServiceCommandLineTests
{
    private const string Broker = "--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> HelpCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var (directory, assembly) in Services)
        {
            foreach (var help in new[] { "--help", "-h", "help" })
            {
                cases.Add(directory, assembly, help);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(HelpCases))]
    public async Task Help_prints_the_usage_and_exits_0(string directory, string assembly, string help)
    {
        var outcome = await ServiceProcess.RunUntilExitAsync(directory, assembly, [help], Bound);

        Assert.True(outcome.ExitCode == 0, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        Assert.StartsWith($"usage: {assembly} ", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("README.md, section \"Configuration\"", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:rabbitmq", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", outcome.StandardError);
    }

    [Fact]
    public async Task The_backup_services_usage_lists_its_verbs()
    {
        var outcome = await ServiceProcess.RunUntilExitAsync("src/BackupService", "StarGuide.BackupService", ["--help"], Bound);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("StarGuide.BackupService verify <archive.tar.gz>", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("StarGuide.BackupService restore <archive.tar.gz>", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("StarGuide.BackupService backup ", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/Gateway", "StarGuide.Gateway", new string[0], "ConnectionStrings:rabbitmq is not set.")]
    [InlineData("src/HealthMonitor", "StarGuide.HealthMonitor", new string[0], "ConnectionStrings:rabbitmq is not set.")]
    [InlineData("src/Scaler", "StarGuide.Scaler", new string[0], "ConnectionStrings:redis is not set.")]
    [InlineData("src/BackupService", "StarGuide.BackupService", new string[0], "ConnectionStrings:rabbitmq is not set.")]
    // Checked by options validated at start, after the host is built.
    [InlineData("src/BackupService", "StarGuide.BackupService", new[] { Broker, "--Backup:Keep=0" }, "Backup:Keep must be at least 1; it is 0.")]
    [InlineData("src/HealthMonitor", "StarGuide.HealthMonitor", new[] { Broker, "--Probing:Interval=00:00:00" }, "Probing:Interval")]
    // A value the configuration binder cannot read as its key's type.
    [InlineData("src/BackupService", "StarGuide.BackupService", new[] { Broker, "--Backup:Keep=ten" }, "Backup:Keep")]
    public async Task A_missing_or_bad_setting_is_one_line_naming_the_key_and_exit_code_2(
        string directory, string assembly, string[] args, string expected)
    {
        var outcome = await ServiceProcess.RunUntilExitAsync(directory, assembly, args, Bound);

        AssertOneLineError(outcome, expected);
    }

    [Theory]
    [InlineData("src/Gateway", "StarGuide.Gateway", "start")]
    [InlineData("src/BackupService", "StarGuide.BackupService", "verfy")]
    public async Task An_argument_that_is_no_setting_is_a_usage_error(string directory, string assembly, string stray)
    {
        var outcome = await ServiceProcess.RunUntilExitAsync(directory, assembly, [stray, "archive.tar.gz"], Bound);

        AssertOneLineError(outcome, $"unexpected argument '{stray}'");
    }

    private static readonly (string Directory, string Assembly)[] Services =
    [
        ("src/Gateway", "StarGuide.Gateway"),
        ("src/HealthMonitor", "StarGuide.HealthMonitor"),
        ("src/Scaler", "StarGuide.Scaler"),
        ("src/BackupService", "StarGuide.BackupService"),
    ];

    private static void AssertOneLineError(ProcessOutcome outcome, string expected)
    {
        Assert.True(outcome.ExitCode == 2, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        var lines = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
    }
}
