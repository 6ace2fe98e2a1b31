using System.Globalization;
using System.Reflection;

namespace StarGuide.AppHost.Instances;

internal static class SampleInstancesExtensions
{
    /// <summary>
    /// Has the scaler own a pool of the sample app <typeparamref name="TProject"/>: it starts <paramref name="instances"/>
    /// of it as local processes (its <c>process</c> driver), each on a free loopback port, replaces any that dies or
    /// turns unhealthy, and publishes the membership that the gateway and the health monitor follow.
    /// </summary>
    /// <remarks>
    /// The instances run the sample's built assembly (as the real StarGuide runs uvicorn), not a <c>dotnet run</c>
    /// wrapper that would cost ~130 MB and an MSBuild evaluation each. The AppHost's build has built the samples (they
    /// are project references).
    /// </remarks>
    public static IResourceBuilder<ProjectResource> WithSamplePool<TProject>(
        this IResourceBuilder<ProjectResource> scaler, string pool, int instances, int maxInstances)
        where TProject : IProjectMetadata, new()
    {
        var (projectDirectory, assembly) = BuiltAssembly(new TProject().ProjectPath);
        var key = $"Scaler__Pools__{pool}__";
        return scaler
            .WithEnvironment(key + "Driver", "process")
            .WithEnvironment(key + "Instances", instances.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(key + "MinInstances", instances.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(key + "MaxInstances", maxInstances.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment(key + "Process__Command", "dotnet")
            .WithEnvironment(key + "Process__Arguments__0", assembly)
            .WithEnvironment(key + "Process__WorkingDirectory", projectDirectory)
            .WithEnvironment(key + "Process__Environment__0", "ASPNETCORE_URLS=http://127.0.0.1:{port}")
            .WithEnvironment(key + "Process__Environment__1", "Sample__InstanceId={id}")
            .WithEnvironment(key + "Process__Environment__2", "ASPNETCORE_ENVIRONMENT=Development");
    }

    /// <summary>
    /// Has the pool scale with its instances' CPU (as a percentage of one core per instance), between
    /// the instances it starts with and its maximum: more instances under load, back to the start size after it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCpuAutoscaling(this IResourceBuilder<ProjectResource> scaler, string pool, int cpuPercent)
    {
        var key = $"Scaler__Pools__{pool}__";
        return scaler
            .WithEnvironment(key + "Autoscaling__Enabled", "true")
            .WithEnvironment(key + "Autoscaling__CpuPercent", cpuPercent.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Tells a service the pools' health paths (their members come from the scaler's events).</summary>
    public static IResourceBuilder<ProjectResource> WithPoolHealthPaths(
        this IResourceBuilder<ProjectResource> service, params (string Pool, string HealthPath)[] pools)
    {
        foreach (var (pool, healthPath) in pools)
        {
            service.WithEnvironment($"Pools__{pool}__HealthPath", healthPath);
        }
        return service;
    }

    /// <summary>
    /// The sample's project folder and assembly, built with the AppHost's configuration and target framework
    /// (<c>bin/Debug/net10.0/</c>).
    /// </summary>
    private static (string ProjectDirectory, string Assembly) BuiltAssembly(string projectPath)
    {
        var self = typeof(SampleInstancesExtensions).Assembly;
        var configuration = self.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var assembly = Path.Combine(projectDirectory, "bin", configuration, framework, Path.GetFileNameWithoutExtension(projectPath) + ".dll");
        return File.Exists(assembly)
            ? (projectDirectory, assembly)
            : throw new InvalidOperationException(
                $"The sample app {Path.GetFileName(projectPath)} is not built at {assembly}. Build the AppHost first "
                + "(dotnet run --project src/AppHost builds it).");
    }
}
