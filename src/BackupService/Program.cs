using StarGuide.BackupService.Backups;
using StarGuide.BackupService.CommandLine;
using StarGuide.BackupService.Http;
using StarGuide.ServiceDefaults;

// `verify <archive>`, `restore <archive> <folder>` and `backup` run once and exit; anything else runs the service.
if (BackupCommandLine.IsCommand(args))
{
    return await BackupCommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMessageBus(ResourceNames.BackupService, bus => bus.AddBackupConsumers());
builder.AddBackups();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBackupEndpoints();

await app.RunAsync();
return 0;
