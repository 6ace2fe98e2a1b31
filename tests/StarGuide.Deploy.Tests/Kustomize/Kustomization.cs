namespace StarGuide.Deploy.Tests.Kustomize;

/// <summary>
/// The part of a <c>kustomization.yaml</c> that <see cref="KustomizeRenderer"/> applies. Read strictly: a field not
/// here (a patch, a label transformer) fails the read with its name, instead of being silently left out of the render.
/// </summary>
internal sealed class Kustomization
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Namespace { get; set; }
    public List<string> Resources { get; set; } = [];
    public List<ImageOverride> Images { get; set; } = [];
    public List<ReplicaOverride> Replicas { get; set; } = [];
    public GeneratorOptions? GeneratorOptions { get; set; }
    public List<Generator> SecretGenerator { get; set; } = [];
    public List<Generator> ConfigMapGenerator { get; set; } = [];
}

internal sealed class ImageOverride
{
    public string Name { get; set; } = "";
    public string? NewName { get; set; }
    public string? NewTag { get; set; }
}

internal sealed class ReplicaOverride
{
    public string Name { get; set; } = "";
    public int Count { get; set; }
}

internal sealed class GeneratorOptions
{
    public bool DisableNameSuffixHash { get; set; }
}

internal sealed class Generator
{
    public string Name { get; set; } = "";
    public List<string> Literals { get; set; } = [];
    public List<string> Envs { get; set; } = [];
}
