using StarGuide.Deploy.Tests.Manifests;
using Xunit.Abstractions;

namespace StarGuide.Deploy.Tests.Probes;

/// <summary>
/// The probes of each Deployment, sent to the real service started with the manifest's environment
/// (<see cref="RunningDeployments"/>): it starts (its options pass validation), and answers on the paths and ports the
/// probes name.
/// </summary>
public sealed class ServiceProbeTests(RunningDeployments deployments, ITestOutputHelper output) : IClassFixture<RunningDeployments>
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

    /// <summary>The Deployments that have a startup probe: the services, which connect to RabbitMQ and Redis as they start.</summary>
    public static TheoryData<string> WithStartupProbe => [.. DeployedService.All.Where(s => s.UsesServiceDefaults).Select(s => s.Deployment)];

    /// <summary>The Deployments without one: the samples, which serve at once.</summary>
    public static TheoryData<string> WithoutStartupProbe => [.. DeployedService.All.Where(s => !s.UsesServiceDefaults).Select(s => s.Deployment)];

    [Theory]
    [MemberData(nameof(WithStartupProbe))]
    public async Task The_startup_probe_answers_like_the_liveness_probe(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);
        var startup = service.Container.StartupProbe?.HttpGet;
        Assert.True(startup is not null, $"{deployment} has no startup probe: its liveness probe would count its start-up (bus, Redis) as failures.");

        var (status, body) = await service.GetAsync(startup);

        Assert.True(status == 200 && IsHealthReport(service, body), $"{deployment}: GET {startup.Path} answered {status} '{Shorten(body)}'.");
    }

    [Theory]
    [MemberData(nameof(WithoutStartupProbe))]
    public void Without_a_startup_probe_the_service_is_alive_before_its_liveness_probe_gives_up(string deployment)
    {
        var service = deployments.Services[deployment];
        Assert.True(service.StartFailure is null, service.StartFailure);
        Assert.Null(service.Container.StartupProbe);
        var liveness = service.Container.LivenessProbe;

        // Without a startup probe the kubelet probes liveness from initialDelaySeconds on and restarts the container
        // after failureThreshold failures periodSeconds apart: the first at initialDelay, the last (failureThreshold -
        // 1) periods later. What the start costs is measured in CPU time, which a loaded test machine does not
        // stretch as it stretches wall time (all six processes start at once here, beside whatever else runs), and
        // is given the container's CPU limit: at best it runs that fast in its pod.
        var grace = TimeSpan.FromSeconds((liveness.InitialDelaySeconds ?? 0) + ((liveness.FailureThreshold ?? 3) - 1) * (liveness.PeriodSeconds ?? 10));
        var cores = service.Container.Resources?.Limits is { } limits && limits.TryGetValue("cpu", out var cpu) ? (double)cpu.ToDecimal() : 1;
        var inPod = service.CpuUntilAlive / cores;
        output.WriteLine($"{deployment}: alive {service.AliveAfter?.TotalSeconds:0.0} s after its start here, after {service.CpuUntilAlive?.TotalSeconds:0.00} s of CPU "
            + $"({inPod?.TotalSeconds:0.00} s at its limit of {cores} core); its liveness probe allows {grace.TotalSeconds:0} s");
        Assert.True(inPod < grace,
            $"{deployment} used {service.CpuUntilAlive?.TotalSeconds:0.0} s of CPU before it answered its liveness probe: at least {inPod?.TotalSeconds:0.0} s "
            + $"at its limit of {cores} core, and the kubelet would restart it after {grace.TotalSeconds:0} s.");
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
