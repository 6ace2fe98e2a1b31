using System.Text;
using k8s.Models;

namespace StarGuide.Deploy.Tests.Manifests;

/// <summary>
/// The environment a container gets from its manifest, as the kubelet builds it: <c>envFrom</c> ConfigMaps and Secrets
/// first, then <c>env</c> (which wins), values from <c>configMapKeyRef</c> / <c>secretKeyRef</c> looked up in the render.
/// </summary>
internal static class ContainerEnvironment
{
    /// <summary>A value held by a Secret the overlay expects to exist outside it (<see cref="Overlays.ExternalSecrets"/>).</summary>
    public const string External = "<external secret>";

    public static IReadOnlyDictionary<string, string> Of(string overlay, V1Container container)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            // An optional source that the overlay does not have adds nothing, as Kubernetes does.
            if ((source.ConfigMapRef is { Optional: true } m && !Overlays.OfKind<V1ConfigMap>(overlay).Any(c => c.Metadata.Name == m.Name))
                || (source.SecretRef is { Optional: true } r && !Overlays.OfKind<V1Secret>(overlay).Any(c => c.Metadata.Name == r.Name)))
            {
                continue;
            }
            var data = source.ConfigMapRef is { } cm ? ConfigMapData(overlay, cm.Name)
                : source.SecretRef is { } secret ? SecretData(overlay, secret.Name)
                : throw new InvalidOperationException($"{container.Name}: an envFrom entry names neither a ConfigMap nor a Secret.");
            foreach (var (key, value) in data)
            {
                values[(source.Prefix ?? "") + key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            // An optional key that the Secret does not have leaves the variable unset, as Kubernetes does.
            if (variable.ValueFrom?.SecretKeyRef is { Optional: true } optional && !Overlays.ExternalSecrets(overlay).ContainsKey(optional.Name)
                && (!Overlays.OfKind<V1Secret>(overlay).Any(c => c.Metadata.Name == optional.Name) || !SecretData(overlay, optional.Name).ContainsKey(optional.Key)))
            {
                continue;
            }
            values[variable.Name] = variable.ValueFrom switch
            {
                null => variable.Value ?? "",
                { ConfigMapKeyRef: { } r } => Lookup(ConfigMapData(overlay, r.Name), r.Key, $"ConfigMap {r.Name}", container, variable),
                { SecretKeyRef: { } r } when Overlays.ExternalSecrets(overlay).TryGetValue(r.Name, out var keys) =>
                    keys.Contains(r.Key) ? External : throw new InvalidOperationException(
                        $"{container.Name}: {variable.Name} reads key '{r.Key}' of the external Secret {r.Name}, which is documented with the keys {string.Join(", ", keys)} only."),
                { SecretKeyRef: { } r } => Lookup(SecretData(overlay, r.Name), r.Key, $"Secret {r.Name}", container, variable),
                _ => throw new InvalidOperationException($"{container.Name}: {variable.Name} takes its value from a source these tests do not read."),
            };
        }
        return values;
    }

    private static string Lookup(IReadOnlyDictionary<string, string> data, string key, string what, V1Container container, V1EnvVar variable) =>
        data.TryGetValue(key, out var value) ? value
        : throw new InvalidOperationException($"{container.Name}: {variable.Name} reads key '{key}' of {what}, which has no such key.");

    private static IReadOnlyDictionary<string, string> ConfigMapData(string overlay, string name) =>
        Overlays.OfKind<V1ConfigMap>(overlay).SingleOrDefault(c => c.Metadata.Name == name) is { } map
            ? (IReadOnlyDictionary<string, string>)(map.Data ?? new Dictionary<string, string>()).AsReadOnly()
            : throw new InvalidOperationException($"overlay {overlay} has no ConfigMap {name}.");

    private static IReadOnlyDictionary<string, string> SecretData(string overlay, string name)
    {
        var secret = Overlays.OfKind<V1Secret>(overlay).SingleOrDefault(s => s.Metadata.Name == name)
            ?? throw new InvalidOperationException($"overlay {overlay} has no Secret {name}"
                + (Overlays.ExternalSecrets(overlay).Count > 0 ? $" and does not list it as external." : "."));
        var values = (secret.StringData ?? new Dictionary<string, string>()).ToDictionary();
        foreach (var (key, bytes) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            values[key] = Encoding.UTF8.GetString(bytes);
        }
        return values;
    }
}
