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

        Assert.Equal(200, status);
        if (service.Service.UsesServiceDefaults)
        {
            Assert.Equal("Healthy", body);
        }
    }

    [Theory]
    [MemberData(nameof(DeployedService.Names), MemberType = typeof(DeployedService))]
    public async Task The_readiness_probe_reaches_the_service_s_own_health_report(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);

        var (status, body) = await service.GetAsync(service.Container.ReadinessProbe.HttpGet);

        if (service.Service.UsesServiceDefaults)
        {
            // Unhealthy (503) here: no broker answers. A proxied or unknown path would be a 404 or 502 without this body.
            Assert.True(status is 200 or 503 && body is "Healthy" or "Degraded" or "Unhealthy",
                $"{deployment}: GET {service.Container.ReadinessProbe.HttpGet.Path} answered {status} '{body}', not a health report.");
        }
        else
        {
            Assert.Equal(200, status);
        }
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

        Assert.Equal(200, (await service.GetAsync(startup)).Status);
    }
}
