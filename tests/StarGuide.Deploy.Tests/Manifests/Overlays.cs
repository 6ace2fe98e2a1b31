using k8s;
using k8s.Models;
using StarGuide.Deploy.Tests.Kustomize;

namespace StarGuide.Deploy.Tests.Manifests;

/// <summary>The overlays, rendered once per test run (each test reads them, none changes them).</summary>
internal static class Overlays
{
    public const string Local = "local";
    public const string Production = "production";

    /// <summary>Every overlay in deploy/k8s/overlays, for theories; a new overlay is checked without a test change.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Names)
            {
                data.Add(name);
            }
            return data;
        }
    }

    public static IEnumerable<string> Names =>
        Directory.GetDirectories(Path.Combine(Repository.K8s, "overlays")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal);

    /// <summary>
    /// Secrets an overlay expects to exist in the cluster without creating them (production: the user's own broker and
    /// store, see docs/deploy-kubernetes.md), with the keys the workloads may read from them.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> ExternalSecrets(string overlay) => overlay == Production
        ? new Dictionary<string, string[]>
        {
            ["starguide-connections"] = ["rabbitmq-gateway", "rabbitmq-health-monitor", "rabbitmq-scaler", "rabbitmq-backup-service", "redis"],
            ["starguide-management"] = ["operate-token", "read-token"],
        }
        : new Dictionary<string, string[]>();

    private static readonly Dictionary<string, Lazy<IReadOnlyList<IKubernetesObject>>> Rendered = new();

    public static IReadOnlyList<IKubernetesObject> Render(string overlay)
    {
        Lazy<IReadOnlyList<IKubernetesObject>> lazy;
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(overlay, out lazy!))
            {
                lazy = new(() => KustomizeRenderer.Render(Repository.Overlay(overlay)));
                Rendered[overlay] = lazy;
            }
        }
        return lazy.Value;
    }

    public static IEnumerable<T> OfKind<T>(string overlay) => Render(overlay).OfType<T>();

    public static T Named<T>(string overlay, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        OfKind<T>(overlay).SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"overlay {overlay} has no {typeof(T).Name} named {name}.");

    /// <summary>Workloads with a pod template: Deployments and StatefulSets.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Workloads(string overlay) =>
        Render(overlay).OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => Kustomize.Workloads.Template(o) is not null);
}
