using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests.Probes;

/// <summary>
/// The probes of each Deployment, sent to the real service started with the manifest's environment
/// (<see cref="RunningDeployments"/>): it starts (its options pass validation), and answers on the paths and ports the
/// probes name.
/// </summary>
public sealed class ServiceProbeTests(RunningDeployments deployments) : IClassFixture<RunningDeployments>
{
    [Theory]
    [MemberData(nameof(DeployedService.Names), MemberType = typeof(DeployedService))]
    public async Task The_service_starts_with_its_manifest_and_answers_the_liveness_probe(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);

        var (status, body) = await service.GetAsync(service.Container.LivenessProbe.HttpGet);

        Assert.True(status == 200 && IsHealthReport(service, body),
            $"{deployment}: GET {service.Container.LivenessProbe.HttpGet.Path} answered {status} '{Shorten(body)}', not a healthy report.");
    }

    [Theory]
    [MemberData(nameof(DeployedService.Names), MemberType = typeof(DeployedService))]
    public async Task The_readiness_probe_reaches_the_service_s_own_health_report(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);

        var (status, body) = await service.GetAsync(service.Container.ReadinessProbe.HttpGet);

        // Unhealthy (503) is right here: no broker answers. A path the service does not serve as its health would be
        // proxied (the gateway's public port), echoed (the sample backend's /api/**) or answered with the SPA's page.
        Assert.True((status == 200 || (status == 503 && service.Service.UsesServiceDefaults)) && IsHealthReport(service, body),
            $"{deployment}: GET {service.Container.ReadinessProbe.HttpGet.Path} answered {status} '{Shorten(body)}', not its health report.");
    }

    [Theory]
    [MemberData(nameof(DeployedService.Names), MemberType = typeof(DeployedService))]
    public async Task The_startup_probe_when_there_is_one_answers_like_the_liveness_probe(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);
        if (service.Container.StartupProbe?.HttpGet is not { } startup)
        {
            return;
        }

        var (status, body) = await service.GetAsync(startup);

        Assert.True(status == 200 && IsHealthReport(service, body), $"{deployment}: GET {startup.Path} answered {status} '{Shorten(body)}'.");
    }

    /// <summary>
    /// The body of a health endpoint: ASP.NET Core's health-check status for the services, the samples' own
    /// <c>{"status":"healthy",...}</c> (SampleBackend/HealthEndpoints.cs, SampleFrontend/HealthEndpoints.cs).
    /// </summary>
    private static bool IsHealthReport(RunningDeployments.Deployed service, string body) => service.Service.UsesServiceDefaults
        ? body is "Healthy" or "Degraded" or "Unhealthy"
        : body.StartsWith("""{"status":"healthy",""", StringComparison.Ordinal);

    private static string Shorten(string body) => body.Length > 200 ? body[..200] + "..." : body;
}
