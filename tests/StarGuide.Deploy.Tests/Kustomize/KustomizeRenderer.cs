using System.Text;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StarGuide.Deploy.Tests.Kustomize;

/// <summary>
/// Renders a kustomize directory the way <c>kubectl kustomize</c> does, for the features the repository's overlays
/// use (<see cref="Kustomization"/>): resources (files and directories), namespace, images, replicas, and Secret and
/// ConfigMap generators without name hashes. No kubectl is needed, so the checks run on any machine; where a kubectl
/// answers, <c>RenderingTests</c> compares this render with its.
/// </summary>
internal static class KustomizeRenderer
{
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"];

    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>The kustomization.yaml of <paramref name="directory"/>, read strictly.</summary>
    public static Kustomization Read(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{directory} has no kustomization.yaml.");
        }
        try
        {
            return Reader.Deserialize<Kustomization>(File.ReadAllText(file));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidOperationException($"{file}: {ex.Message} (this renderer applies only the fields of {nameof(Kustomization)}).", ex);
        }
    }

    public static IReadOnlyList<IKubernetesObject> Render(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var kustomization = Read(directory);

        var objects = new List<IKubernetesObject>();
        foreach (var resource in kustomization.Resources)
        {
            var path = Path.GetFullPath(Path.Combine(directory, resource));
            objects.AddRange(Directory.Exists(path) ? Render(path)
                : File.Exists(path) ? KubernetesYaml.LoadAllFromString(File.ReadAllText(path), strict: true).Cast<IKubernetesObject>()
                : throw new InvalidOperationException($"{file}: resource '{resource}' is neither a file nor a directory."));
        }

        var generators = kustomization.SecretGenerator.Concat(kustomization.ConfigMapGenerator).ToList();
        if (generators.Count > 0 && kustomization.GeneratorOptions?.DisableNameSuffixHash != true)
        {
            throw new InvalidOperationException($"{file}: generated names get a hash suffix that this renderer does not compute; set generatorOptions.disableNameSuffixHash: true.");
        }
        objects.AddRange(kustomization.SecretGenerator.Select(g => Secret(g, directory)));
        objects.AddRange(kustomization.ConfigMapGenerator.Select(g => ConfigMap(g, directory)));

        if (kustomization.Namespace is { Length: > 0 } ns)
        {
            SetNamespace(objects, ns);
        }
        foreach (var image in kustomization.Images)
        {
            SetImage(objects, image, file);
        }
        foreach (var replicas in kustomization.Replicas)
        {
            SetReplicas(objects, replicas, file);
        }
        return objects;
    }

    private static V1Secret Secret(Generator generator, string directory) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = generator.Name },
        Type = "Opaque",
        Data = Pairs(generator, directory).ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(p.Value)),
    };

    private static V1ConfigMap ConfigMap(Generator generator, string directory) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = generator.Name },
        Data = Pairs(generator, directory).ToDictionary(p => p.Key, p => p.Value),
    };

    private static IEnumerable<KeyValuePair<string, string>> Pairs(Generator generator, string directory)
    {
        var lines = generator.Literals.Concat(generator.Envs.SelectMany(env => File.ReadAllLines(Path.Combine(directory, env))
            .Where(line => line.Trim() is { Length: > 0 } text && !text.StartsWith('#'))));
        foreach (var line in lines)
        {
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new InvalidOperationException($"generator {generator.Name}: '{line}' is not KEY=value.");
            }
            yield return new(line[..equals], line[(equals + 1)..]);
        }
    }

    private static void SetNamespace(List<IKubernetesObject> objects, string ns)
    {
        foreach (var item in objects.OfType<IKubernetesObject<V1ObjectMeta>>())
        {
            if (item.Kind == "Namespace")
            {
                item.Metadata.Name = ns;
            }
            else if (!ClusterScoped.Contains(item.Kind))
            {
                item.Metadata.NamespaceProperty = ns;
            }
        }
        foreach (var binding in objects.OfType<V1RoleBinding>())
        {
            foreach (var subject in binding.Subjects ?? [])
            {
                if (subject.Kind == "ServiceAccount")
                {
                    subject.NamespaceProperty = ns;
                }
            }
        }
    }

    private static void SetImage(List<IKubernetesObject> objects, ImageOverride image, string file)
    {
        var matched = false;
        foreach (var container in objects.SelectMany(Workloads.Containers))
        {
            var (name, tag) = Workloads.SplitImage(container.Image);
            if (name == image.Name)
            {
                var newTag = image.NewTag ?? tag;
                container.Image = (image.NewName ?? name) + (newTag is null ? "" : ":" + newTag);
                matched = true;
            }
        }
        if (!matched)
        {
            throw new InvalidOperationException($"{file}: images entry '{image.Name}' matches no container.");
        }
    }

    private static void SetReplicas(List<IKubernetesObject> objects, ReplicaOverride replicas, string file)
    {
        var targets = objects.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o.Metadata.Name == replicas.Name).ToList();
        foreach (var deployment in targets.OfType<V1Deployment>())
        {
            deployment.Spec.Replicas = replicas.Count;
        }
        foreach (var statefulSet in targets.OfType<V1StatefulSet>())
        {
            statefulSet.Spec.Replicas = replicas.Count;
        }
        if (!targets.Any(t => t is V1Deployment or V1StatefulSet))
        {
            throw new InvalidOperationException($"{file}: replicas entry '{replicas.Name}' matches no Deployment or StatefulSet.");
        }
    }
}
