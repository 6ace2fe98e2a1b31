using StarGuide.Gateway.Compression;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.Limits;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.Security;
using StarGuide.Gateway.Tls;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPoolsOptions();
builder.AddInstanceHealth();
builder.AddGatewayProxy();
builder.AddSecurityHeaders();
builder.AddTls();
builder.AddRequestLimits();
builder.AddGatewayCompression();

var app = builder.Build();

app.UseSecurityHeaders(); // first: every response below gets the headers, errors included
app.UseTls();
app.UseRequestLimits();
app.UseGatewayCompression();
app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
