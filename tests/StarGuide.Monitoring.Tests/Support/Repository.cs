namespace StarGuide.Monitoring.Tests.Support;

/// <summary>Paths in this repository, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string PrometheusDirectory => Path("deploy", "prometheus");

    public static IReadOnlyList<string> RuleFiles =>
        [.. Directory.GetFiles(Path("deploy", "prometheus", "rules"), "*.yml").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> RuleTestFiles =>
        [.. Directory.GetFiles(Path("deploy", "prometheus", "tests"), "*.yml").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> Dashboards =>
        [.. Directory.GetFiles(Path("deploy", "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "StarGuide.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"StarGuide.sln not found above {AppContext.BaseDirectory}");
    }
}
