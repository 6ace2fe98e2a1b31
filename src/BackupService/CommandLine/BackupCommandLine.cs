using Microsoft.Extensions.Options;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Messaging;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Verification;

namespace StarGuide.BackupService.CommandLine;

/// <summary>
/// The service binary as an operator's tool: <c>verify &lt;archive&gt;</c>, <c>restore &lt;archive&gt; &lt;folder&gt;
/// [--keep-special-bits] [--Backup:Restore:MaxEntries=n --Backup:Restore:MaxBytes=n]</c> (anywhere the operator says;
/// limits from the configuration beside the binary unless given) and <c>backup [--Backup:Key=value ...]</c> (one
/// backup with the service's configuration, then exit). Exit code 0 on success, 1 with the cause on standard error
/// otherwise, 2 for a usage error.
/// </summary>
internal static class BackupCommandLine
{
    private const string Usage = """
        usage: StarGuide.BackupService verify <archive.tar.gz>
               StarGuide.BackupService restore <archive.tar.gz> <empty-or-new-folder> [--keep-special-bits]
                                               [--Backup:Restore:MaxEntries=<n>] [--Backup:Restore:MaxBytes=<n>]
               StarGuide.BackupService backup [--Backup:Destination=... --Backup:Sources:0:Path=... ...]
        """;

    /// <summary>What <c>StarGuide.BackupService --help</c> prints: the service, its settings and the verbs.</summary>
    public const string ServiceUsage = """
        usage: StarGuide.BackupService [--Section:Key=value ...]     run the service
               StarGuide.BackupService verify <archive.tar.gz>      check an archive's checksum and manifest
               StarGuide.BackupService restore <archive.tar.gz> <empty-or-new-folder> [--keep-special-bits]
                                               [--Backup:Restore:MaxEntries=<n>] [--Backup:Restore:MaxBytes=<n>]
               StarGuide.BackupService backup [--Backup:Key=value ...]   one backup with the service's settings, then exit

        The StarGuide Edge backup service: backs up its sources to tar.gz archives on a schedule or when asked
        (POST /backups, a BackupRequested event), keeps the newest ones and reports each run on the message bus.

        Settings come from appsettings.json, environment variables (Section__Key) and the command line. Main ones:
          ConnectionStrings:rabbitmq      the broker, amqp://backup-service:password@host:5672/ (required by the service)
          Backup:Sources:<n>:Path         what to back up; Backup:Destination where the archives go
          Backup:Schedule                 cron, UTC (default 0 3 * * *; empty: none); Backup:Keep (default 10)
          Management:Tokens:<name>:...    who may read and start backups and read /metrics

        Every setting: README.md, section "Configuration", and docs/backups.md.

        """;

    public static bool IsCommand(string[] args) => args is ["verify" or "restore" or "backup", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return args switch
            {
                ["verify", var archive] => await VerifyAsync(archive, cancel.Token),
                ["restore", var archive, var target, .. var options] => await RestoreAsync(archive, target, options, cancel.Token),
                ["backup", .. var settings] => await BackupAsync(settings, cancel.Token),
                _ => UsageError(),
            };
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(string archive, CancellationToken cancellationToken)
    {
        var result = await ArchiveVerifier.VerifyAsync(Path.GetFullPath(archive), cancellationToken);
        if (!result.IsValid)
        {
            await Console.Error.WriteLineAsync($"error: {result.Problem}");
            return 1;
        }
        Console.WriteLine($"OK: {result.Archive} verified ({result.Entries} entries, checksum and manifest match)");
        return 0;
    }

    private static async Task<int> RestoreAsync(string archive, string target, string[] options, CancellationToken cancellationToken)
    {
        const string keepSpecialBits = "--keep-special-bits";
        var settings = options.Where(o => o != keepSpecialBits).ToArray();
        // Only the restore's own keys: a typo must not pass silently as a setting nobody reads.
        if (settings.Any(s => !s.StartsWith("--" + RestoreOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase) || !s.Contains('=')))
        {
            return UsageError();
        }
        var limits = ReadRestoreOptions(settings);
        var policy = RestorePolicy.CommandLine(limits, keepSpecialBits: options.Contains(keepSpecialBits));
        var result = await ArchiveRestorer.RestoreAsync(Path.GetFullPath(archive), target, policy, cancellationToken);
        Console.WriteLine($"OK: restored {result.Archive} into {result.Target}: {result.Files} files ({result.Bytes} bytes), "
            + $"{result.Directories} folders, {result.Symlinks} links"
            + (result.SkippedSpecial > 0 ? $", {result.SkippedSpecial} special files skipped" : ""));
        return 0;
    }

    /// <summary>
    /// <c>Backup:Restore</c> from the configuration beside the binary, as <c>backup</c> reads it, then the arguments.
    /// Only these keys are bound and checked: a restore must not fail on a source or destination it never uses.
    /// </summary>
    private static RestoreOptions ReadRestoreOptions(string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = settings,
            ContentRootPath = AppContext.BaseDirectory,
        });
        RestoreOptions options;
        try
        {
            options = builder.Configuration.GetSection(RestoreOptions.SectionName).Get<RestoreOptions>() ?? new RestoreOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key and the value it could not read.
            throw new BackupException(ex.Message, ex);
        }
        var errors = new List<string>();
        RestoreOptionsValidator.ValidateLimits(options, errors);
        if (errors.Count > 0)
        {
            throw new BackupException(string.Join(" ", errors));
        }
        return options;
    }

    private static async Task<int> BackupAsync(string[] settings, CancellationToken cancellationToken)
    {
        // The configuration beside the binary, as the service reads it, wherever the command is run from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = settings,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddBackupCore();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IBackupEvents, LoggedBackupEvents>();
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<IOptions<BackupOptions>>().Value;

        var run = await host.Services.GetRequiredService<BackupRunner>().RunAsync(Guid.NewGuid(), "command line", cancellationToken);
        if (run.State != BackupRunState.Completed)
        {
            await Console.Error.WriteLineAsync($"error: backup failed: {run.Reason}");
            return 1;
        }
        Console.WriteLine($"OK: {run.Archive}");
        return 0;
    }

    private static int UsageError()
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
