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
    public async Task Restore_keeps_special_bits_only_when_asked_and_takes_limits_from_its_arguments()
    {
        var archive = await CraftedArchive.WriteAsync(_folder.Combine("archives"),
            CraftedArchive.File("tool", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("6755", 8)));

        var plain = await RunAsync("restore", archive, _folder.Combine("plain"));
        var kept = await RunAsync("restore", archive, _folder.Combine("kept"), "--keep-special-bits");
        var limited = await RunAsync("restore", archive, _folder.Combine("limited"), "--Backup:Restore:MaxBytes=5");
        var typo = await RunAsync("restore", archive, _folder.Combine("typo"), "--keep-specialbits");

        Assert.True(plain.ExitCode == 0, plain.Output);
        Assert.Equal("755", Convert.ToString((int)File.GetUnixFileMode(_folder.Combine("plain", "tool")), 8));
        Assert.True(kept.ExitCode == 0, kept.Output);
        Assert.Equal("6755", Convert.ToString((int)File.GetUnixFileMode(_folder.Combine("kept", "tool")), 8));
        Assert.Equal(1, limited.ExitCode);
        Assert.Contains("error: Not restoring: the archive holds 10 bytes of file content, more than Backup:Restore:MaxBytes allows (5)", limited.Output);
        Assert.False(Directory.Exists(_folder.Combine("limited")));
        Assert.Equal(2, typo.ExitCode);
        Assert.False(Directory.Exists(_folder.Combine("typo")));
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
