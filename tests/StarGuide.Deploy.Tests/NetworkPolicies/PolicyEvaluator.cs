using System.Globalization;
using System.Net;
using k8s.Models;
using StarGuide.Deploy.Tests.Kustomize;

namespace StarGuide.Deploy.Tests.NetworkPolicies;

/// <summary>One end of a connection: a pod (its namespace, the namespace's labels, its own labels) or an address outside the cluster.</summary>
internal abstract record Peer(string Description)
{
    public sealed override string ToString() => Description;
}

internal sealed record PodPeer(string Description, string Namespace, IReadOnlyDictionary<string, string> Labels) : Peer(Description)
{
    /// <summary>The label every namespace carries (<c>kubernetes.io/metadata.name</c>); the manifests add none that the policies read.</summary>
    public IDictionary<string, string> NamespaceLabels => new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace };

    /// <summary>The same pod: one per workload, whichever render it was read from.</summary>
    public bool Equals(PodPeer? other) => other is not null && other.Description == Description && other.Namespace == Namespace;

    public override int GetHashCode() => HashCode.Combine(Description, Namespace);
}

internal sealed record ExternalPeer(string Description, IPAddress Address) : Peer(Description);

/// <summary>
/// Decides a connection as the NetworkPolicy API defines it: a pod that no policy of a type selects is open for that
/// direction; a selected one admits what any rule of the policies selecting it allows (rules are unions, never denials);
/// a connection needs the source's egress and the destination's ingress. Peers: podSelector (the policy's namespace),
/// namespaceSelector, both (and), ipBlock with except. ipBlock is applied to addresses outside the cluster only (how
/// plugins treat it for pod addresses varies). Named ports are not read: the manifests use numbers.
/// </summary>
internal sealed class PolicyEvaluator(IReadOnlyList<V1NetworkPolicy> policies)
{
    public bool Allows(Peer from, Peer to, int port, string protocol = "TCP") =>
        (from is not PodPeer source || Admits(source, "Egress", to, port, protocol))
        && (to is not PodPeer destination || Admits(destination, "Ingress", from, port, protocol));

    /// <summary>The policies of <paramref name="pod"/>'s namespace that select it for <paramref name="type"/>.</summary>
    public IEnumerable<V1NetworkPolicy> Selecting(PodPeer pod, string type) =>
        policies.Where(p => p.Metadata.NamespaceProperty == pod.Namespace
            && Workloads.Selects(p.Spec.PodSelector, new Dictionary<string, string>(pod.Labels))
            && Types(p).Contains(type));

    /// <summary>policyTypes, or what the API defaults them to: Ingress, and Egress when the policy has egress rules.</summary>
    public static IReadOnlyList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes is { Count: > 0 } types ? [.. types]
        : policy.Spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"];

    private bool Admits(PodPeer pod, string type, Peer other, int port, string protocol)
    {
        var selecting = Selecting(pod, type).ToList();
        return selecting.Count == 0 || selecting.Any(policy => type == "Ingress"
            ? (policy.Spec.Ingress ?? []).Any(r => PortsMatch(r.Ports, port, protocol) && PeersMatch(r.FromProperty, other, policy))
            : (policy.Spec.Egress ?? []).Any(r => PortsMatch(r.Ports, port, protocol) && PeersMatch(r.To, other, policy)));
    }

    private static bool PortsMatch(IList<V1NetworkPolicyPort>? ports, int port, string protocol) =>
        ports is not { Count: > 0 } || ports.Any(p => (p.Protocol ?? "TCP") == protocol && (p.Port is null || PortNumber(p) == port));

    private static int PortNumber(V1NetworkPolicyPort port) =>
        int.TryParse(port.Port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException($"named port '{port.Port.Value}': these tests read numbered ports only.");

    private static bool PeersMatch(IList<V1NetworkPolicyPeer>? peers, Peer other, V1NetworkPolicy policy) =>
        peers is not { Count: > 0 } || peers.Any(peer => (peer, other) switch
        {
            ({ IpBlock: { } block }, ExternalPeer external) => InCidr(external.Address, block.Cidr) && !(block.Except ?? []).Any(e => InCidr(external.Address, e)),
            ({ IpBlock: not null }, _) => false,
            (_, PodPeer pod) => (peer.NamespaceSelector is null
                    ? pod.Namespace == policy.Metadata.NamespaceProperty
                    : Workloads.Selects(peer.NamespaceSelector, pod.NamespaceLabels))
                && (peer.PodSelector is null || Workloads.Selects(peer.PodSelector, new Dictionary<string, string>(pod.Labels))),
            _ => false,
        });

    private static bool InCidr(IPAddress address, string cidr) => IPNetwork.Parse(cidr).Contains(address);
}
