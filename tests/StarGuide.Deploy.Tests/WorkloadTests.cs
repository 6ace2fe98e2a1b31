using k8s.Models;
using StarGuide.Deploy.Tests.Kustomize;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests;

/// <summary>How the objects of each overlay fit together: selectors, Services, ports, probes, resources, security.</summary>
public sealed class WorkloadTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_workload_selects_its_own_pods_and_no_other_workloads(string overlay)
    {
        var workloads = Overlays.Workloads(overlay).ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            var selector = Workloads.Selector(workload)!;
            Assert.True(Workloads.Selects(selector, Workloads.Template(workload)!.Metadata.Labels),
                $"{workload.Kind} {workload.Metadata.Name}: its selector does not match its pod template's labels.");
            foreach (var other in workloads.Where(o => o != workload))
            {
                Assert.False(Workloads.Selects(selector, Workloads.Template(other)!.Metadata.Labels),
                    $"{workload.Kind} {workload.Metadata.Name}: its selector also matches the pods of {other.Kind} {other.Metadata.Name}.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_workload_is_selected_by_a_Service_whose_target_ports_its_containers_declare(string overlay)
    {
        var services = Overlays.OfKind<V1Service>(overlay).ToList();
        foreach (var workload in Overlays.Workloads(overlay))
        {
            var labels = Workloads.Template(workload)!.Metadata.Labels;
            var selecting = services.Where(s => s.Spec.Selector is { } sel && Workloads.Selects(sel, labels)).ToList();
            Assert.True(selecting.Count > 0, $"{workload.Kind} {workload.Metadata.Name}: no Service selects its pods.");
            var ports = Workloads.Template(workload)!.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
            foreach (var port in selecting.SelectMany(s => s.Spec.Ports.Select(p => (Service: s.Metadata.Name, p.TargetPort))))
            {
                Assert.True(Resolve(port.TargetPort, ports) is not null,
                    $"Service {port.Service}: targetPort {port.TargetPort?.Value} is no container port of {workload.Metadata.Name}.");
            }
        }

        Assert.All(services, s => Assert.True(Overlays.Workloads(overlay).Any(w => Workloads.Selects(s.Spec.Selector, Workloads.Template(w)!.Metadata.Labels)),
            $"Service {s.Metadata.Name} selects no workload's pods."));
        Assert.All(Overlays.OfKind<V1StatefulSet>(overlay), s => Assert.Contains(services, svc => svc.Metadata.Name == s.Spec.ServiceName && svc.Spec.ClusterIP == "None"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_gateway_is_public_through_a_LoadBalancer_on_its_http_port_only_and_kept_up_by_a_disruption_budget(string overlay)
    {
        var gateway = Overlays.Named<V1Deployment>(overlay, "gateway");
        var container = gateway.Spec.Template.Spec.Containers.Single();
        var balancers = Overlays.OfKind<V1Service>(overlay).Where(s => s.Spec.Type == "LoadBalancer").ToList();

        var balancer = Assert.Single(balancers);
        Assert.True(Workloads.Selects(balancer.Spec.Selector, gateway.Spec.Template.Metadata.Labels));
        var port = Assert.Single(balancer.Spec.Ports);
        Assert.Equal("http", Resolve(port.TargetPort, container.Ports)?.Name);
        Assert.Equal("Local", balancer.Spec.ExternalTrafficPolicy);

        var budget = Assert.Single(Overlays.OfKind<V1PodDisruptionBudget>(overlay));
        Assert.True(Workloads.Selects(budget.Spec.Selector, gateway.Spec.Template.Metadata.Labels));
        Assert.True(budget.Spec.MinAvailable?.Value is { } min && int.Parse(min) < (gateway.Spec.Replicas ?? 1),
            $"the gateway's PodDisruptionBudget (minAvailable {budget.Spec.MinAvailable?.Value}) must leave room to drain a node with {gateway.Spec.Replicas} replicas.");
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_probe_names_a_port_its_container_declares(string overlay)
    {
        foreach (var container in Overlays.Workloads(overlay).SelectMany(Workloads.Containers))
        {
            foreach (var (kind, probe) in Probes(container))
            {
                var port = probe.HttpGet?.Port ?? probe.TcpSocket?.Port;
                Assert.True(port is not null || probe.Exec is not null, $"{container.Name}: the {kind} probe checks nothing.");
                if (port is not null)
                {
                    Assert.True(Resolve(port, container.Ports) is not null, $"{container.Name}: the {kind} probe's port {port.Value} is none of its container ports.");
                }
            }
            Assert.NotNull(container.LivenessProbe);
            Assert.NotNull(container.ReadinessProbe);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_has_resources_and_runs_as_non_root_on_a_read_only_root_file_system(string overlay)
    {
        foreach (var workload in Overlays.Workloads(overlay))
        {
            var pod = Workloads.Template(workload)!.Spec;
            foreach (var container in Workloads.Containers(workload))
            {
                var where = $"{workload.Kind} {workload.Metadata.Name}, container {container.Name}";
                Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Requests.ContainsKey("memory"), $"{where}: no cpu/memory requests.");
                Assert.True(container.Resources.Limits?.ContainsKey("memory") == true, $"{where}: no memory limit.");
                Assert.True((container.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) == true, $"{where}: runAsNonRoot is not set.");
                Assert.True((container.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser) is > 0, $"{where}: no numeric non-root runAsUser (runAsNonRoot cannot check a named user).");
                Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{where}: the root file system is writable.");
                Assert.True(container.SecurityContext?.AllowPrivilegeEscalation == false, $"{where}: privilege escalation is allowed.");
                Assert.Contains("ALL", container.SecurityContext?.Capabilities?.Drop ?? []);
                Assert.Equal("IfNotPresent", container.ImagePullPolicy);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Only_the_scaler_gets_a_service_account_token(string overlay)
    {
        foreach (var workload in Overlays.Workloads(overlay))
        {
            var pod = Workloads.Template(workload)!.Spec;
            if (workload.Metadata.Name == "scaler")
            {
                Assert.Equal("scaler", pod.ServiceAccountName);
            }
            else
            {
                Assert.False(pod.AutomountServiceAccountToken ?? true, $"{workload.Metadata.Name} mounts a service account token it does not use.");
            }
        }
    }

    internal static IEnumerable<(string Kind, V1Probe Probe)> Probes(V1Container container) =>
        new[] { ("liveness", container.LivenessProbe), ("readiness", container.ReadinessProbe), ("startup", container.StartupProbe) }
            .Where(p => p.Item2 is not null)!;

    /// <summary>The container port a Service's targetPort or a probe's port refers to, by name or number.</summary>
    internal static V1ContainerPort? Resolve(IntOrString? port, IEnumerable<V1ContainerPort>? ports) =>
        port?.Value is not { } value ? null
        : int.TryParse(value, out var number) ? ports?.FirstOrDefault(p => p.ContainerPort == number)
        : ports?.FirstOrDefault(p => p.Name == value);
}
