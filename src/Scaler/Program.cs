using StarGuide.Scaler;
using StarGuide.Scaler.Http;
using StarGuide.Scaler.Messaging;
using StarGuide.Scaler.Pools;
using StarGuide.Scaler.StatusPage;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.CommandLine;

// --help prints the usage; a bad setting stops the service with one line naming the key (exit code 2).
return await ServiceCommandLine.RunOrExplainAsync(args, ScalerUsage.Text, () =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddOwnedPools();
    builder.AddScalerBus();
    builder.AddStatusPage();

    var app = builder.Build();

    app.MapDefaultEndpoints();
    app.MapPools();
    app.MapStatusPage();
    return app;
});
