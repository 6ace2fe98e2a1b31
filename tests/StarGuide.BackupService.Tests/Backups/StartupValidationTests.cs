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

    [Fact]
    public async Task Bad_management_settings_stop_the_service_naming_each_key_and_never_a_token()
    {
        const string Short = "short-secret";
        const string Shared = "a-token-given-to-two-callers-0001";
        var missing = _folder.Combine("no-such-token-file");

        var outcome = await ServiceProcess.RunUntilExitAsync("src/BackupService", "StarGuide.BackupService",
            [
                "--ConnectionStrings:rabbitmq=amqp://guest:guest@127.0.0.1:1/",
                $"--Backup:Destination={_folder.Combine("backups")}",
                "--Backup:AllowedNetworks:0=10.0.0.0/8",
                "--Management:AllowedNetworks:0=everyone",
                "--Management:AllowedHosts:0=http://scaler:8090",
                "--Management:Tokens:short:Role=operate",
                $"--Management:Tokens:short:Token={Short}",
                "--Management:Tokens:nofile:Role=read",
                $"--Management:Tokens:nofile:TokenFile={missing}",
                "--Management:Tokens:admin:Role=root",
                $"--Management:Tokens:admin:Token={Shared}",
                "--Management:Tokens:alice:Role=read",
                $"--Management:Tokens:alice:Token={Shared}",
            ],
            TimeSpan.FromSeconds(60));

        Assert.True(outcome.ExitCode is not null and not 0, $"exit code {outcome.ExitCode}:\n{outcome.Output}");
        Assert.Contains("Backup:AllowedNetworks is no longer read: management networks are Management:AllowedNetworks", outcome.Output);
        Assert.Contains("Management:AllowedNetworks:0 must be a network in CIDR form", outcome.Output);
        Assert.Contains("Management:AllowedHosts:0 must be a host name without scheme, port or path", outcome.Output);
        Assert.Contains("Management:Tokens:short: the token must be at least 16 characters", outcome.Output);
        Assert.Contains($"Management:Tokens:nofile: TokenFile '{missing}' cannot be read", outcome.Output);
        Assert.Contains("Management:Tokens:admin:Role must be read or operate; it is 'root'.", outcome.Output);
        Assert.Contains("the same token as Management:Tokens:", outcome.Output);
        Assert.DoesNotContain(Short, outcome.Output);
        Assert.DoesNotContain(Shared, outcome.Output);
    }
}
