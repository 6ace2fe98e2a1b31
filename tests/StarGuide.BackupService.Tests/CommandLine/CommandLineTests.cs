using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.CommandLine;

/// <summary><c>backup</c>, <c>verify</c> and <c>restore</c> on the built binary, as an operator runs them.</summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = TempFolder.Create("cli");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Backup_verify_and_restore_from_the_command_line()
    {
        var sources = SampleTree.Create(_folder.Combine("sources"));
        var destination = _folder.Combine("backups");

        var backup = await RunAsync("backup", "--environment=Development",
            $"--Backup:Sources:0:Path={sources}", $"--Backup:Destination={destination}", "--Backup:Schedule=");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var archive = Assert.Single(BackupCatalog.List(destination)).Path;
        Assert.Contains($"OK: {archive}", backup.Output);

        var verify = await RunAsync("verify", archive);
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("verified", verify.Output);

        var target = _folder.Combine("restored");
        var restore = await RunAsync("restore", archive, target);
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Equal(TreeSnapshot.Of(sources), TreeSnapshot.Of(Path.Combine(target, sources.TrimStart('/'))));

        var again = await RunAsync("restore", archive, target);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not empty", again.Output);
    }

    [Fact]
    public async Task Verify_of_a_damaged_archive_exits_1_saying_why()
    {
        var sources = SampleTree.Create(_folder.Combine("sources"));
        var destination = _folder.Combine("backups");
        var backup = await RunAsync("backup", "--environment=Development",
            $"--Backup:Sources:0:Path={sources}", $"--Backup:Destination={destination}");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var archive = Assert.Single(BackupCatalog.List(destination)).Path;
        await File.AppendAllTextAsync(archive, "!");

        var verify = await RunAsync("verify", archive);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"error: {Path.GetFileName(archive)}: SHA-256 is", verify.Output);
    }

    [Fact]
    public async Task Backup_of_a_missing_source_exits_1_naming_it()
    {
        var missing = _folder.Combine("missing");

        var backup = await RunAsync("backup", "--environment=Development",
            $"--Backup:Sources:0:Path={missing}", $"--Backup:Destination={_folder.Combine("backups")}");

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains($"error: backup failed: Backup source '{missing}' does not exist.", backup.Output);
    }

    [Fact]
    public async Task A_usage_error_exits_2()
    {
        var outcome = await RunAsync("restore", "only-one-argument");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("usage:", outcome.Output);
    }

    private static Task<ProcessOutcome> RunAsync(params string[] args) =>
        ServiceProcess.RunUntilExitAsync("src/BackupService", "StarGuide.BackupService", args, Patience);
}
