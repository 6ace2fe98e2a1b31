using StarGuide.Scaler.Http;
using StarGuide.Scaler.Messaging;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOwnedPools();
builder.AddScalerBus();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPools();

app.Run();
