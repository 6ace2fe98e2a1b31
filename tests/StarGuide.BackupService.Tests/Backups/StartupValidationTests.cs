using StarGuide.BackupService.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Backups;

/// <summary>The built service as an operator starts it: a bad setting stops it at once with a message naming the key.</summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("startup");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Bad_settings_stop_the_service_naming_each_key()
    {
        var notAFolder = _folder.Combine("file");
        await File.WriteAllTextAsync(notAFolder, "");

        var outcome = await ServiceProcess.RunUntilExitAsync("src/BackupService", "StarGuide.BackupService",
            [
                "--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/",
                // Production's seed sources are loaded; index 1 is blanked here.
                "--Backup:Sources:1:Path=",
                "--Backup:Schedule=at three",
                $"--Backup:Destination={notAFolder}/backups",
                "--Backup:Restore:MaxEntries=0",
            ],
            TimeSpan.FromSeconds(60));

        Assert.True(outcome.ExitCode is not null and not 0, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        Assert.Contains("Backup:Sources:1:Path is empty.", outcome.Output);
        Assert.Contains("Backup:Schedule 'at three' is not a cron expression", outcome.Output);
        Assert.Contains($"Backup:Destination '{notAFolder}/backups' cannot be created", outcome.Output);
        Assert.Contains("Backup:Restore:MaxEntries must be at least 1; it is 0.", outcome.Output);
    }
}
