using k8s.Models;
using StarGuide.Deploy.Tests.Kustomize;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests.Scaler;

/// <summary>The pools the scaler's kubernetes driver scales are the Deployments the manifests define, as it expects them.</summary>
public sealed class ScalerPoolsTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_kubernetes_pool_is_a_Deployment_of_the_overlay_that_the_driver_reads_correctly(string overlay)
    {
        var pools = ScalerManifest.KubernetesPools(overlay).ToList();
        Assert.NotEmpty(pools);
        foreach (var (pool, options, ns) in pools)
        {
            var settings = options.Kubernetes;
            var deployment = Overlays.OfKind<V1Deployment>(overlay)
                .SingleOrDefault(d => d.Metadata.Name == settings.Deployment && d.Metadata.NamespaceProperty == ns);
            Assert.True(deployment is not null, $"pool {pool}: no Deployment {ns}/{settings.Deployment} in overlay {overlay}.");
            var pod = deployment.Spec.Template;
            var container = pod.Spec.Containers.Single();

            Assert.True(container.Ports?.Any(p => p.ContainerPort == settings.Port) == true,
                $"pool {pool}: the driver addresses pods on port {settings.Port}, which {settings.Deployment}'s container does not declare.");
            var selector = ScalerManifest.ParseSelector(settings.LabelSelector);
            Assert.True(Workloads.Selects(selector, pod.Metadata.Labels), $"pool {pool}: LabelSelector {settings.LabelSelector} does not select {settings.Deployment}'s pods.");
            Assert.All(Overlays.Workloads(overlay).Where(w => w.Metadata.Name != settings.Deployment),
                other => Assert.False(Workloads.Selects(selector, Workloads.Template(other)!.Metadata.Labels), $"pool {pool}: LabelSelector {settings.LabelSelector} also selects {other.Metadata.Name}'s pods."));
            Assert.True(TimeSpan.FromSeconds(pod.Spec.TerminationGracePeriodSeconds ?? 30) >= options.DrainTimeout,
                $"pool {pool}: Kubernetes kills a pod {pod.Spec.TerminationGracePeriodSeconds ?? 30} s after SIGTERM, less than the pool's DrainTimeout {options.DrainTimeout}.");
            // A replica count in the manifest would be put back by every `kubectl apply`, undoing the scaler's.
            Assert.Null(deployment.Spec.Replicas);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_pool_probes_the_health_path_the_gateway_and_the_health_monitor_use_for_it(string overlay)
    {
        foreach (var (pool, options, _) in ScalerManifest.KubernetesPools(overlay))
        {
            var container = Overlays.Named<V1Deployment>(overlay, options.Kubernetes.Deployment).Spec.Template.Spec.Containers.Single();
            foreach (var service in new[] { "gateway", "health-monitor" })
            {
                var environment = ContainerEnvironment.Of(overlay, Overlays.Named<V1Deployment>(overlay, service).Spec.Template.Spec.Containers.Single());
                var healthPath = environment.GetValueOrDefault($"Pools__{pool}__HealthPath", StarGuide.ServiceDefaults.Pools.PoolOptions.DefaultHealthPath);
                Assert.Equal(healthPath, container.ReadinessProbe.HttpGet.Path);
            }
        }
    }
}
