using StarGuide.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Scheduling, archives and verification come with the backup issue; the host, bus and endpoints are here.
builder.AddMessageBus(ResourceNames.BackupService);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
