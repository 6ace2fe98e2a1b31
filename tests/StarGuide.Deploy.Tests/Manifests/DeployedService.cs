using System.Reflection;

namespace StarGuide.Deploy.Tests.Manifests;

/// <summary>A Deployment of the manifests and the project whose build its image holds.</summary>
/// <param name="Deployment">The Deployment's (and its container's) name.</param>
/// <param name="ProjectDirectory">Relative to the repository root.</param>
/// <param name="AssemblyName">The project's assembly, run as <c>dotnet AssemblyName.dll</c>.</param>
/// <param name="UsesServiceDefaults">It calls <c>AddServiceDefaults</c>, so its readiness is a health-check report.</param>
internal sealed record DeployedService(string Deployment, string ProjectDirectory, string AssemblyName, bool UsesServiceDefaults)
{
    public static IReadOnlyList<DeployedService> All { get; } =
    [
        new("gateway", "src/Gateway", "StarGuide.Gateway", true),
        new("health-monitor", "src/HealthMonitor", "StarGuide.HealthMonitor", true),
        new("scaler", "src/Scaler", "StarGuide.Scaler", true),
        new("backup-service", "src/BackupService", "StarGuide.BackupService", true),
        new("backend", "samples/SampleBackend", "StarGuide.SampleBackend", false),
        new("frontend", "samples/SampleFrontend", "StarGuide.SampleFrontend", false),
    ];

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var service in All)
            {
                data.Add(service.Deployment);
            }
            return data;
        }
    }

    public static DeployedService Named(string deployment) =>
        All.SingleOrDefault(s => s.Deployment == deployment)
        ?? throw new InvalidOperationException($"no project is known for Deployment '{deployment}': add it to {nameof(DeployedService)}.{nameof(All)}.");

    public Assembly Assembly => Assembly.Load(AssemblyName);

    public string SourceDirectory => Path.Combine(Repository.Root, ProjectDirectory);
}
