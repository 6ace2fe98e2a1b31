using k8s;
using k8s.Models;

namespace StarGuide.Deploy.Tests.Kustomize;

/// <summary>Reads the pod templates of the workload kinds the manifests use.</summary>
internal static class Workloads
{
    public static V1PodTemplateSpec? Template(IKubernetesObject item) => item switch
    {
        V1Deployment d => d.Spec.Template,
        V1StatefulSet s => s.Spec.Template,
        V1DaemonSet d => d.Spec.Template,
        V1Job j => j.Spec.Template,
        _ => null,
    };

    public static V1LabelSelector? Selector(IKubernetesObject item) => item switch
    {
        V1Deployment d => d.Spec.Selector,
        V1StatefulSet s => s.Spec.Selector,
        V1DaemonSet d => d.Spec.Selector,
        _ => null,
    };

    public static IEnumerable<V1Container> Containers(IKubernetesObject item) =>
        Template(item) is { } template ? template.Spec.Containers.Concat(template.Spec.InitContainers ?? []) : [];

    /// <summary>An image reference's name and tag (null when it has none); a registry's port is part of the name.</summary>
    public static (string Name, string? Tag) SplitImage(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }

    /// <summary>Whether a label selector's matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) select these labels.</summary>
    public static bool Selects(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(m => labels.TryGetValue(m.Key, out var value) && value == m.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new InvalidOperationException($"unknown selector operator '{e.OperatorProperty}'"),
        });
        return byLabels && byExpressions;
    }

    /// <summary>A Service's (or a label-selector string's) equality selector against these labels.</summary>
    public static bool Selects(IDictionary<string, string> selector, IDictionary<string, string>? labels) =>
        selector.Count > 0 && selector.All(s => labels is not null && labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
