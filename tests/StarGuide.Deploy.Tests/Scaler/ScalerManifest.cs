using k8s.Models;
using Microsoft.Extensions.Configuration;
using StarGuide.Deploy.Tests.Manifests;
using StarGuide.Scaler.Pools;

namespace StarGuide.Deploy.Tests.Scaler;

/// <summary>The scaler's settings as its manifest gives them, bound to the scaler's own options class.</summary>
internal static class ScalerManifest
{
    public static V1Deployment Deployment(string overlay) => Overlays.Named<V1Deployment>(overlay, "scaler");

    public static ScalerOptions Options(string overlay)
    {
        var environment = ContainerEnvironment.Of(overlay, Deployment(overlay).Spec.Template.Spec.Containers.Single());
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(p => new KeyValuePair<string, string?>(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)))
            .Build();
        return configuration.GetSection(ScalerOptions.SectionName).Get<ScalerOptions>() ?? new ScalerOptions();
    }

    /// <summary>The pools the kubernetes driver runs, with the namespace their Deployment is in.</summary>
    public static IEnumerable<(string Pool, ScalerPoolOptions Options, string Namespace)> KubernetesPools(string overlay)
    {
        var scalerNamespace = Deployment(overlay).Metadata.NamespaceProperty;
        return Options(overlay).Pools
            .Where(p => string.Equals(p.Value.Driver, "kubernetes", StringComparison.OrdinalIgnoreCase))
            .Select(p => (p.Key, p.Value, string.IsNullOrEmpty(p.Value.Kubernetes.Namespace) ? scalerNamespace : p.Value.Kubernetes.Namespace));
    }

    /// <summary>A <c>key=value,key=value</c> label selector (the driver's <c>LabelSelector</c>) as a dictionary.</summary>
    public static Dictionary<string, string> ParseSelector(string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => term.Split('=', 2))
            .ToDictionary(
                t => t.Length == 2 ? t[0] : throw new InvalidOperationException($"LabelSelector term '{string.Join('=', t)}' is not key=value (the only form these tests read)."),
                t => t[1]);
}
