using StarGuide.Gateway.Health;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.Retries;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPoolsOptions();
builder.AddInstanceHealth();
builder.AddGatewayProxy();
builder.AddWeightedLoadBalancing();
builder.AddPassiveHealth();
builder.AddRetries();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGatewayProxy();

app.Run();
