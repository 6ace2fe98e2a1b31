using StarGuide.Gateway.AccessLog;
using StarGuide.Gateway.ClientAddress;
using StarGuide.Gateway.Compression;
using StarGuide.Gateway.FrontDoor;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.Limits;
using StarGuide.Gateway.LoadReport;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.Management;
using StarGuide.Gateway.Messaging;
using StarGuide.Gateway.Metrics;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.Proxy;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Routing;
using StarGuide.Gateway.Security;
using StarGuide.Gateway.Tls;
using StarGuide.Gateway.Transport;
using StarGuide.Gateway;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.CommandLine;
using StarGuide.ServiceDefaults.Pools;

// --help prints the usage; a bad setting stops the gateway with one line naming the key (exit code 2).
return await ServiceCommandLine.RunOrExplainAsync(args, GatewayUsage.Text, () =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddTransport(); // first: its inline-completions switch must be set before any socket exists
    builder.AddServiceDefaults();
    builder.AddFrontDoor(); // before any feature that adds a Kestrel listener: it applies to those created after it
    builder.AddManagementEndpoints();
    builder.AddPoolsOptions();
    builder.AddInstanceHealth();
    builder.AddInstancePools();
    builder.AddGatewayBus();
    builder.AddClientAddress();
    builder.AddGatewayRoutes();
    builder.AddRateLimits();
    builder.AddAccessLog();
    builder.AddGatewayMetrics();
    builder.AddGatewayProxy();
    builder.AddWeightedLoadBalancing();
    builder.AddPassiveHealth();
    builder.AddRetries();
    builder.AddSecurityHeaders();
    builder.AddTls();
    builder.AddRequestLimits();
    builder.AddGatewayCompression();
    builder.AddLoadReport();

    var app = builder.Build();

    app.UseSecurityHeaders(); // first: every response below gets the headers, errors included
    app.UseManagementEndpoints(); // /health, /alive, /metrics: management port (or allow-list) only
    app.UseFrontDoor(); // CONNECT: 405; a 101 ends strict framing (checked earlier, per connection)
    app.UseTls();
    app.UseRequestLimits();
    app.UseGatewayCompression();
    app.UseGatewayProxy();

    return app;
});
