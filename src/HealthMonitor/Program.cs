using StarGuide.HealthMonitor;
using StarGuide.HealthMonitor.Membership;
using StarGuide.HealthMonitor.Messaging;
using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.CommandLine;
using StarGuide.ServiceDefaults.Pools;

// --help prints the usage; a bad setting stops the service with one line naming the key (exit code 2).
return await ServiceCommandLine.RunOrExplainAsync(args, HealthMonitorUsage.Text, () =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddPoolsOptions();
    builder.AddPoolMembership();
    builder.AddHealthMonitorBus();
    builder.AddInstanceProbing();

    var app = builder.Build();

    app.MapDefaultEndpoints();
    return app;
});
