using StarGuide.HealthMonitor.Membership;
using StarGuide.HealthMonitor.Messaging;
using StarGuide.HealthMonitor.Probing;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPoolsOptions();
builder.AddPoolMembership();
builder.AddHealthMonitorBus();
builder.AddInstanceProbing();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
