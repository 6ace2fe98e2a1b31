namespace StarGuide.Deploy.Tests.Manifests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "deploy", "k8s");

    public static string Overlay(string name) => Path.Combine(K8s, "overlays", name);

    public static string ComposeFile => Path.Combine(Root, "deploy", "compose.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StarGuide.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"StarGuide.sln not found above {AppContext.BaseDirectory}.");
    }
}
