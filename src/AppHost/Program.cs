using StarGuide.AppHost;
using StarGuide.AppHost.Backups;
using StarGuide.AppHost.Infrastructure;
using StarGuide.AppHost.Instances;
using StarGuide.AppHost.Management;
using StarGuide.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);
if (!AppHostSettings.TryFrom(builder.Configuration, out var settings, out var problem))
{
    Console.Error.WriteLine(problem); // one line naming the key, not a stack trace
    return 2;
}

// A second AppHost (or anything else on these ports): which port, and how to choose another, instead of a bind stack trace.
if (!FixedPorts.AreFree(builder, settings, out var portsInUse))
{
    Console.Error.WriteLine(portsInUse);
    return 2;
}

if (!InfrastructurePlan.TryCreate(settings, builder.AppHostDirectory, out var infrastructure, out problem))
{
    Console.Error.WriteLine(problem);
    return 1;
}

// Every management endpoint (the scaler's /pools and status page, /backups, every /metrics) needs one of these.
var tokens = RunTokens.Create(builder.Configuration, builder.AppHostDirectory);

var broker = builder.AddMessageBroker(infrastructure);
var redis = builder.AddRedisServer(infrastructure);
if (!ContainerImages.TryProvide(builder, infrastructure, out problem))
{
    Console.Error.WriteLine(problem);
    return 1;
}

(string, string)[] healthPaths = [(ResourceNames.BackendPool, "/api/health"), (ResourceNames.FrontendPool, "/healthz")];

// The scaler owns the sample pools: it starts their instances, replaces dead ones and publishes who is in them.
// Services do not wait for the broker: they serve and probe without it, connect when it answers, and report
// not-ready on /health until then. Each connects as its own broker user (docs/messaging-trust.md). The gateway and the scaler wait for Redis, which is up in milliseconds.
builder.AddProject<Projects.StarGuide_Scaler>(ResourceNames.Scaler, launchProfileName: null)
    .WithHttpEndpoint(port: settings.ScalerPort, name: "http", isProxied: false)
    .WithBrokerUser(broker, ResourceNames.Scaler)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Scaler__Scope", "apphost-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
    .WithEnvironment("Scaler__StopInstancesOnShutdown", "true")
    .WithSamplePool<Projects.StarGuide_SampleBackend>(ResourceNames.BackendPool, settings.BackendInstances, Math.Max(5, settings.BackendInstances))
    // 30 % of a core: on one machine the instances share its cores with everything else, so the seed's 80 % (the
    // production default, src/Scaler/appsettings.Production.json) would rarely be reached by a demo load.
    .WithCpuAutoscaling(ResourceNames.BackendPool, cpuPercent: 30)
    .WithSamplePool<Projects.StarGuide_SampleFrontend>(ResourceNames.FrontendPool, settings.FrontendInstances, Math.Max(5, settings.FrontendInstances))
    .WithManagementTokens(tokens)
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", url => { url.DisplayText = "status"; url.Url = $"/status?token={tokens.Viewer}"; });

builder.AddProject<Projects.StarGuide_HealthMonitor>(ResourceNames.HealthMonitor)
    .WithBrokerUser(broker, ResourceNames.HealthMonitor)
    .WithPoolHealthPaths(healthPaths)
    .WithManagementTokens(tokens)
    .WithHttpHealthCheck("/health");

// The gateway's /health, /alive and /metrics are on a loopback management port of their own, not the public one.
builder.AddProject<Projects.StarGuide_Gateway>(ResourceNames.Gateway, launchProfileName: null)
    .WithHttpEndpoint(port: settings.GatewayPort, name: "http", isProxied: false)
    .WithHttpEndpoint(port: settings.GatewayManagementPort, name: "management", env: "Gateway__Management__Port", isProxied: false)
    .WithBrokerUser(broker, ResourceNames.Gateway)
    .WithReference(redis).WaitFor(redis)
    .WithPoolHealthPaths(healthPaths)
    .WithManagementTokens(tokens)
    .WithHttpHealthCheck("/health", endpointName: "management")
    .WithUrlForEndpoint("http", url => url.DisplayText = "StarGuide (gateway)");

builder.AddProject<Projects.StarGuide_BackupService>(ResourceNames.BackupService)
    .WithBrokerUser(broker, ResourceNames.BackupService)
    .WithLocalBackupSources(builder.AppHostDirectory)
    .WithManagementTokens(tokens)
    .WithHttpHealthCheck("/health");

builder.AnnounceAddresses(settings, tokens);
builder.Build().Run();
infrastructure.RemoveData(); // the servers have stopped with the AppHost: their data was for this run only
tokens.Remove();
return 0;
