using k8s;
using StarGuide.Deploy.Tests.Kustomize;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests;

public sealed class ManifestFilesTests
{
    public static TheoryData<string> ManifestFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in ManifestPaths())
            {
                data.Add(Path.GetRelativePath(Repository.K8s, file));
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Every_manifest_loads_strictly_into_typed_objects(string file)
    {
        // Strict: a misspelt field (readinesProbe) is an error, not a field the cluster would silently ignore.
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Repository.K8s, file)), strict: true);

        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
    }

    [Fact]
    public void Every_manifest_is_a_resource_of_some_kustomization()
    {
        var used = Directory.GetFiles(Repository.K8s, "kustomization.yaml", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .SelectMany(dir => KustomizeRenderer.Read(dir!).Resources.Select(r => Path.GetFullPath(Path.Combine(dir!, r))))
            .ToHashSet();

        Assert.Empty(ManifestPaths().Where(f => !used.Contains(f)).Select(f => Path.GetRelativePath(Repository.K8s, f)));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_overlay_renders_without_duplicates(string overlay)
    {
        var objects = Overlays.Render(overlay).OfType<IKubernetesObject<k8s.Models.V1ObjectMeta>>().ToList();

        Assert.NotEmpty(objects);
        var duplicates = objects.GroupBy(o => $"{o.Kind}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
        Assert.All(objects.Where(o => o.Kind is not ("Namespace" or "ClusterRole" or "ClusterRoleBinding")),
            o => Assert.Equal("starguide", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void A_kustomization_field_the_renderer_does_not_apply_is_an_error_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("starguide-kustomize-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "kustomization.yaml"), "resources: []\npatches:\n  - path: p.yaml\n");

            var error = Assert.Throws<InvalidOperationException>(() => KustomizeRenderer.Render(dir.FullName));

            Assert.Contains("patches", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> ManifestPaths() =>
        Directory.GetFiles(Repository.K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal);
}
