using StarGuide.BackupService.Backups;
using StarGuide.BackupService.CommandLine;
using StarGuide.BackupService.Http;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.CommandLine;

// `verify <archive>`, `restore <archive> <folder>` and `backup` run once and exit; `--help` prints the usage; anything
// else runs the service (a bad setting: one line naming the key, exit code 2).
if (BackupCommandLine.IsCommand(args))
{
    return await BackupCommandLine.RunAsync(args);
}

return await ServiceCommandLine.RunOrExplainAsync(args, BackupCommandLine.ServiceUsage, () =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddMessageBus(ResourceNames.BackupService, bus => bus.AddBackupConsumers());
    builder.AddBackups();

    var app = builder.Build();

    app.MapDefaultEndpoints();
    app.MapBackupEndpoints();
    return app;
});
