using StarGuide.AppHost;
using StarGuide.AppHost.Backups;
using StarGuide.AppHost.Infrastructure;
using StarGuide.AppHost.Instances;
using StarGuide.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

if (!InfrastructurePlan.TryCreate(settings, builder.AppHostDirectory, out var infrastructure, out var problem))
{
    Console.Error.WriteLine(problem);
    return 1;
}

var rabbitmq = builder.AddMessageBroker(infrastructure);
var redis = builder.AddRedisServer(infrastructure);

var backends = builder.AddSampleInstances<Projects.StarGuide_SampleBackend>(
    ResourceNames.BackendPool, settings.BackendInstances, healthPath: "/api/health");
var frontends = builder.AddSampleInstances<Projects.StarGuide_SampleFrontend>(
    ResourceNames.FrontendPool, settings.FrontendInstances, healthPath: "/healthz");

// Services do not wait for the broker: they serve and probe without it, connect when it answers, and report
// not-ready on /health until then. Only the gateway waits for Redis, which is up in milliseconds.
builder.AddProject<Projects.StarGuide_HealthMonitor>(ResourceNames.HealthMonitor)
    .WithReference(rabbitmq)
    .WithPools(backends, frontends)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.StarGuide_Gateway>(ResourceNames.Gateway, launchProfileName: null)
    .WithHttpEndpoint(port: settings.GatewayPort, name: "http", isProxied: false)
    .WithReference(rabbitmq)
    .WithReference(redis).WaitFor(redis)
    .WithPools(backends, frontends)
    .WithHttpHealthCheck("/health")
    .WithUrlForEndpoint("http", url => url.DisplayText = "StarGuide (gateway)");

builder.AddProject<Projects.StarGuide_Scaler>(ResourceNames.Scaler)
    .WithReference(rabbitmq)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.StarGuide_BackupService>(ResourceNames.BackupService)
    .WithReference(rabbitmq)
    .WithLocalBackupSources(builder.AppHostDirectory)
    .WithHttpHealthCheck("/health");

builder.AnnounceAddresses(settings);
builder.Build().Run();
return 0;
