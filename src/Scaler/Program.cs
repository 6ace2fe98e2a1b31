using StarGuide.Scaler;
using StarGuide.Scaler.Autoscaling;
using StarGuide.Scaler.Drivers;
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
    builder.AddInstanceDrivers();   // Drivers/: process, docker, systemd, kubernetes
    builder.AddPools();             // Pools/: one controller per pool, its state in Redis
    builder.AddAutoscaling();       // Autoscaling/: load-driven sizes for the pools that ask for it
    builder.AddPoolEvents();        // Messaging/: the pools' events out, verdicts and scale requests in
    builder.AddStatusPage();        // StatusPage/: what the pools did lately, for operators

    var app = builder.Build();

    app.MapDefaultEndpoints();
    app.MapPools();                 // Http/: GET /pools, POST /pools/{pool}/scale and bounds
    app.MapStatusPage();
    return app;
});
