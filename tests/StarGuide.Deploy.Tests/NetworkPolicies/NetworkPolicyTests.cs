using System.Net;
using k8s.Models;
using StarGuide.Deploy.Tests.Kustomize;
using StarGuide.Deploy.Tests.Manifests;
using StarGuide.Deploy.Tests.Scaler;

namespace StarGuide.Deploy.Tests.NetworkPolicies;

/// <summary>
/// The NetworkPolicies of each overlay, evaluated as the API defines them (<see cref="PolicyEvaluator"/>): every pod starts
/// closed, the paths StarGuide uses are open (read from the manifests themselves: who holds a broker or Redis connection
/// string, which port Prometheus is told to scrape, which port the scaler addresses pool pods on), and a pool pod reaches
/// nothing of the control plane.
/// </summary>
public sealed class NetworkPolicyTests
{
    private static readonly ExternalPeer Internet = new("a client on the internet", IPAddress.Parse("203.0.113.7"));
    private static readonly ExternalPeer ApiServer = new("the API server", IPAddress.Parse("172.18.0.2"));

    /// <summary>The broker and Redis of overlays/production: your own, outside the cluster.</summary>
    private static readonly ExternalPeer ExternalBroker = new("the broker and Redis outside the cluster", IPAddress.Parse("10.20.0.5"));

    private static readonly PodPeer Prometheus = new("Prometheus", "monitoring", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" });
    private static readonly PodPeer KubeDns = new("the cluster DNS", "kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_pod_is_selected_by_a_policy_that_denies_all_ingress_and_egress(string overlay)
    {
        var evaluator = Evaluator(overlay);
        var pods = Pods(overlay).ToList();
        Assert.NotEmpty(pods);
        foreach (var pod in pods)
        {
            var denyAll = evaluator.Selecting(pod, "Ingress").Intersect(evaluator.Selecting(pod, "Egress"))
                .Where(p => p.Spec.Ingress is not { Count: > 0 } && p.Spec.Egress is not { Count: > 0 });
            Assert.True(denyAll.Any(), $"{overlay}: no default-deny policy (Ingress and Egress, no rules) selects {pod}.");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_paths_StarGuide_uses_are_open(string overlay)
    {
        var evaluator = Evaluator(overlay);
        var required = RequiredPaths(overlay).ToList();

        Assert.NotEmpty(required);
        Assert.Empty(required.Where(p => !evaluator.Allows(p.From, p.To, p.Port, p.Protocol)).Select(p => $"{overlay}: {p} is closed"));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void A_pool_pod_reaches_nothing_but_DNS(string overlay)
    {
        var evaluator = Evaluator(overlay);
        var targets = Pods(overlay)
            .SelectMany(t => new[] { 8080, 8081, 5672, 6379, 15692 }.Select(port => (Target: (Peer)t, Port: port)))
            .Concat([(ApiServer, 443), (ApiServer, 6443), (Internet, 443), (Internet, 80), (ExternalBroker, 5672), (ExternalBroker, 6379)])
            .ToList();

        foreach (var pool in Pods(overlay).Where(p => IsPool(overlay, p)))
        {
            Assert.True(evaluator.Allows(pool, KubeDns, 53, "UDP"), $"{overlay}: {pool} cannot resolve names.");
            var open = targets.Where(t => t.Target != pool && evaluator.Allows(pool, t.Target, t.Port)).Select(t => $"{pool} -> {t.Target}:{t.Port}");
            Assert.Empty(open);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Only_the_paths_StarGuide_uses_are_open_to_the_control_plane(string overlay)
    {
        var evaluator = Evaluator(overlay);
        var required = RequiredPaths(overlay).Select(p => (p.From, p.To, p.Port)).ToHashSet();
        var stranger = new PodPeer("a pod of the namespace that StarGuide does not know", Namespace(overlay), new Dictionary<string, string> { ["app"] = "debug" });
        var sources = Pods(overlay).Concat<Peer>([Internet, Prometheus, stranger]);

        var published = PublishedPorts(overlay).ToHashSet();

        var open = from source in sources
                   from target in ControlPlane(overlay)
                   from port in new[] { 8080, 8081, 5672, 6379, 4369, 25672 }
                   where (source != target || port is 4369 or 25672) && evaluator.Allows(source, target, port)
                       && !required.Contains((source, target, port)) && !published.Contains((target, port))
                   select $"{source} -> {target}:{port}";

        Assert.Empty(open);
    }

    /// <summary>What the manifests say StarGuide needs, with the ports they say it on.</summary>
    private static IEnumerable<Path> RequiredPaths(string overlay)
    {
        var pods = Pods(overlay).ToList();
        var byName = pods.ToDictionary(p => p.Description);
        var infrastructure = byName.ContainsKey("rabbitmq");
        foreach (var pod in pods)
        {
            yield return new Path(pod, KubeDns, 53, "UDP");
            yield return new Path(pod, KubeDns, 53, "TCP");
        }

        foreach (var (pod, port) in PublishedPorts(overlay))
        {
            yield return new Path(Internet, pod, port);
        }

        foreach (var (pool, options, _) in ScalerManifest.KubernetesPools(overlay))
        {
            var pod = byName[options.Kubernetes.Deployment];
            yield return new Path(byName["gateway"], pod, options.Kubernetes.Port);
            yield return new Path(byName["health-monitor"], pod, options.Kubernetes.Port);
            // The sample backend's /api/metrics (deploy/prometheus/prometheus-kubernetes.yml scrapes pool pods unannotated too).
            yield return new Path(Prometheus, pod, options.Kubernetes.Port);
        }

        foreach (var workload in Overlays.Workloads(overlay))
        {
            var template = Workloads.Template(workload)!;
            var pod = byName[workload.Metadata.Name];
            if (template.Metadata.Annotations is { } annotations && annotations.TryGetValue("prometheus.io/scrape", out var scrape) && scrape == "true")
            {
                yield return new Path(Prometheus, pod, int.Parse(annotations["prometheus.io/port"], System.Globalization.CultureInfo.InvariantCulture));
            }

            var environment = ContainerEnvironment.Of(overlay, template.Spec.Containers.Single());
            if (environment.ContainsKey("ConnectionStrings__rabbitmq"))
            {
                yield return new Path(pod, infrastructure ? byName["rabbitmq"] : ExternalBroker, 5672);
            }

            if (environment.ContainsKey("ConnectionStrings__redis"))
            {
                yield return new Path(pod, infrastructure ? byName["redis"] : ExternalBroker, 6379);
            }
        }

        // The broker's nodes, to each other: Erlang's port mapper and distribution (a cluster, overlays/ha; the policy is
        // the infrastructure's, so a single node may too, with no other node to reach).
        if (infrastructure)
        {
            yield return new Path(byName["rabbitmq"], byName["rabbitmq"], 4369);
            yield return new Path(byName["rabbitmq"], byName["rabbitmq"], 25672);
        }

        yield return new Path(byName["scaler"], ApiServer, 443);
        yield return new Path(byName["scaler"], ApiServer, 6443);
    }

    /// <summary>The pods and container ports behind the LoadBalancer Services: open to anyone.</summary>
    private static IEnumerable<(PodPeer Pod, int Port)> PublishedPorts(string overlay)
    {
        var published = Overlays.OfKind<V1Service>(overlay).Where(s => s.Spec.Type == "LoadBalancer").ToList();
        Assert.NotEmpty(published);
        foreach (var service in published)
        {
            foreach (var workload in Overlays.Workloads(overlay).Where(w => w.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
                && Workloads.Selects(service.Spec.Selector, Workloads.Template(w)!.Metadata.Labels)))
            {
                var container = Workloads.Template(workload)!.Spec.Containers.Single();
                foreach (var port in service.Spec.Ports)
                {
                    var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    yield return (Pods(overlay).Single(p => p.Description == workload.Metadata.Name),
                        int.TryParse(target, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : container.Ports.Single(p => p.Name == target).ContainerPort);
                }
            }
        }
    }

    private static PolicyEvaluator Evaluator(string overlay) => new([.. Overlays.OfKind<V1NetworkPolicy>(overlay)]);

    /// <summary>One pod per workload, labelled as its template, named after the workload.</summary>
    private static IEnumerable<PodPeer> Pods(string overlay) =>
        Overlays.Workloads(overlay).Select(w => new PodPeer(
            w.Metadata.Name, w.Metadata.NamespaceProperty, new Dictionary<string, string>(Workloads.Template(w)!.Metadata.Labels)));

    private static IEnumerable<PodPeer> ControlPlane(string overlay) => Pods(overlay).Where(p => !IsPool(overlay, p));

    /// <summary>A pod of a Deployment that the scaler runs as a pool.</summary>
    private static bool IsPool(string overlay, PodPeer pod) =>
        ScalerManifest.KubernetesPools(overlay).Any(p => p.Options.Kubernetes.Deployment == pod.Description && p.Namespace == pod.Namespace);

    private static string Namespace(string overlay) => ScalerManifest.Deployment(overlay).Metadata.NamespaceProperty;

    private sealed record Path(Peer From, Peer To, int Port, string Protocol = "TCP")
    {
        public override string ToString() => $"{From} -> {To}:{Port}/{Protocol}";
    }
}
