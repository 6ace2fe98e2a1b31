using System.Reflection;

namespace StarGuide.AppHost.Instances;

internal static class SampleInstancesExtensions
{
    /// <summary>
    /// Starts <paramref name="count"/> instances of a sample app, <c>{pool}-1</c> … <c>{pool}-N</c>, each on a port of
    /// its own and not behind Aspire's proxy, so that the gateway and the health monitor reach each one directly and
    /// a stopped instance really stops answering.
    /// </summary>
    /// <remarks>
    /// The instances run the sample's built assembly as plain executables (as the real StarGuide runs uvicorn), not as
    /// Aspire project resources: those are launched through a <c>dotnet run</c> wrapper process that costs ~130 MB and
    /// an MSBuild evaluation per instance. The AppHost's build has built the samples (they are project references).
    /// </remarks>
    public static SamplePool AddSampleInstances<TProject>(
        this IDistributedApplicationBuilder builder, string pool, int count, string healthPath)
        where TProject : IProjectMetadata, new()
    {
        var assembly = BuiltAssembly(new TProject().ProjectPath);
        var instances = Enumerable.Range(1, count)
            .Select(i => $"{pool}-{i}")
            .Select(id =>
            {
                var port = ServiceDefaults.Networks.FreePort.Next();
                return builder.AddExecutable(id, "dotnet", Path.GetDirectoryName(assembly.ProjectPath)!, assembly.Path)
                    .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
                    .WithEnvironment("ASPNETCORE_URLS", $"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
                    .WithEnvironment("Sample__InstanceId", id)
                    .WithHttpHealthCheck(healthPath);
            })
            .ToList();
        return new SamplePool(pool, healthPath, instances);
    }

    /// <summary>Tells a service the pools it starts with, as the <c>Pools</c> configuration section.</summary>
    public static IResourceBuilder<ProjectResource> WithPools(
        this IResourceBuilder<ProjectResource> service, params SamplePool[] pools)
    {
        foreach (var pool in pools)
        {
            service.WithEnvironment($"Pools__{pool.Name}__HealthPath", pool.HealthPath);
            for (var i = 0; i < pool.Instances.Count; i++)
            {
                var instance = pool.Instances[i];
                service.WithEnvironment($"Pools__{pool.Name}__Instances__{i}__Id", instance.Resource.Name)
                    .WithEnvironment($"Pools__{pool.Name}__Instances__{i}__Address", instance.GetEndpoint("http"));
            }
        }
        return service;
    }

    /// <summary>
    /// The sample's assembly, built with the AppHost's configuration and target framework (<c>bin/Debug/net10.0/</c>).
    /// </summary>
    private static (string ProjectPath, string Path) BuiltAssembly(string projectPath)
    {
        var self = typeof(SampleInstancesExtensions).Assembly;
        var configuration = self.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var outputSuffix = Path.Combine("bin", configuration, framework);
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var assembly = Path.Combine(projectDirectory, outputSuffix, Path.GetFileNameWithoutExtension(projectPath) + ".dll");
        return File.Exists(assembly)
            ? (projectPath, assembly)
            : throw new InvalidOperationException(
                $"The sample app {Path.GetFileName(projectPath)} is not built at {assembly}. Build the AppHost first "
                + "(dotnet run --project src/AppHost builds it).");
    }
}
