using StarGuide.Gateway.Health;
using StarGuide.Gateway.Proxy;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPoolsOptions();
builder.AddInstanceHealth();
builder.AddGatewayProxy();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
