using k8s.Models;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests;

/// <summary>
/// An overlay whose broker has more than one replica runs it as one RabbitMQ cluster (docs/messaging-ha.md): nodes in
/// the image's cluster mode naming every replica by its stable name, started together, found through a headless Service
/// that publishes them before they are ready, sharing a cookie from a Secret; and every service is given every node. A
/// replica count changed without the rest would leave nodes that never join, or services that know only one node.
/// </summary>
public sealed class BrokerClusterManifestTests
{
    public static TheoryData<string> ClusteredOverlays
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var overlay in ClusteredOverlayNames)
            {
                data.Add(overlay);
            }
            return data;
        }
    }

    private static IEnumerable<string> ClusteredOverlayNames => Overlays.Names.Where(o => Broker(o) is { Spec.Replicas: > 1 });

    [Fact]
    public void The_ha_overlay_runs_the_broker_as_a_three_node_cluster_and_the_others_as_one_node()
    {
        Assert.Contains("ha", ClusteredOverlayNames);
        Assert.Equal(3, Broker("ha")!.Spec.Replicas);
        Assert.Equal(1, Broker(Overlays.Local)!.Spec.Replicas ?? 1);
        Assert.DoesNotContain("RABBITMQ_CLUSTER_HOSTS", ContainerEnvironment.Of(Overlays.Local, Broker(Overlays.Local)!.Spec.Template.Spec.Containers.Single()).Keys);
    }

    [Theory]
    [MemberData(nameof(ClusteredOverlays))]
    public void Every_node_is_named_by_its_stable_name_and_joins_the_others_with_a_shared_cookie(string overlay)
    {
        var broker = Broker(overlay)!;
        var container = broker.Spec.Template.Spec.Containers.Single();
        var environment = ContainerEnvironment.Of(overlay, container);

        Assert.Equal(FullyQualifiedPodNames(overlay, broker), environment["RABBITMQ_CLUSTER_HOSTS"].Split(','));
        Assert.Equal("true", environment["RABBITMQ_USE_LONGNAME"]);
        Assert.NotNull(container.Env.Single(e => e.Name == "RABBITMQ_ERLANG_COOKIE").ValueFrom?.SecretKeyRef);
        Assert.True(environment["RABBITMQ_ERLANG_COOKIE"].Length >= 20, "the Erlang cookie is shorter than 20 characters");
        Assert.Equal("Parallel", broker.Spec.PodManagementPolicy);
        Assert.Contains(container.Ports, p => p.ContainerPort == 4369);
        Assert.Contains(container.Ports, p => p.ContainerPort == 25672);
    }

    [Theory]
    [MemberData(nameof(ClusteredOverlays))]
    public void The_nodes_find_each_other_through_a_headless_service_that_publishes_them_before_they_are_ready(string overlay)
    {
        var broker = Broker(overlay)!;
        var headless = Overlays.Named<V1Service>(overlay, broker.Spec.ServiceName);

        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses, $"{headless.Metadata.Name} does not publish nodes that are not ready: a node boots only once it has joined, so none could find another");
        Assert.All(headless.Spec.Selector, label => Assert.Equal(label.Value, broker.Spec.Template.Metadata.Labels[label.Key]));
    }

    [Theory]
    [MemberData(nameof(ClusteredOverlays))]
    public void Every_service_that_uses_the_broker_is_given_every_node(string overlay)
    {
        var broker = Broker(overlay)!;
        var nodes = Enumerable.Range(0, broker.Spec.Replicas!.Value)
            .Select(i => $"{broker.Metadata.Name}-{i}.{broker.Spec.ServiceName}:5672").ToList();
        var services = Overlays.OfKind<V1Deployment>(overlay)
            .Select(d => (d.Metadata.Name, Environment: ContainerEnvironment.Of(overlay, d.Spec.Template.Spec.Containers.Single())))
            .Where(d => d.Environment.ContainsKey("ConnectionStrings__rabbitmq"))
            .ToList();

        Assert.Equal(4, services.Count);
        Assert.All(services, s => Assert.True(s.Environment.TryGetValue("MessageBus__Nodes", out var value) && value.Split(',').SequenceEqual(nodes),
            $"{s.Name}: MessageBus__Nodes is '{s.Environment.GetValueOrDefault("MessageBus__Nodes")}', not {string.Join(',', nodes)}"));
    }

    private static V1StatefulSet? Broker(string overlay) =>
        Overlays.OfKind<V1StatefulSet>(overlay).SingleOrDefault(s => s.Metadata.Name == "rabbitmq");

    private static IEnumerable<string> FullyQualifiedPodNames(string overlay, V1StatefulSet broker)
    {
        var ns = broker.Metadata.NamespaceProperty ?? Overlays.OfKind<V1Namespace>(overlay).Single().Metadata.Name;
        return Enumerable.Range(0, broker.Spec.Replicas!.Value).Select(i => $"{broker.Metadata.Name}-{i}.{broker.Spec.ServiceName}.{ns}.svc.cluster.local");
    }
}
