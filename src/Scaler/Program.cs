using StarGuide.Scaler.Http;
using StarGuide.Scaler.Messaging;
using StarGuide.Scaler.Pools;
using StarGuide.Scaler.StatusPage;
using StarGuide.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOwnedPools();
builder.AddScalerBus();
builder.AddStatusPage();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPools();
app.MapStatusPage();

app.Run();
