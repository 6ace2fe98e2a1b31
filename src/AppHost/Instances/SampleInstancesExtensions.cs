namespace StarGuide.AppHost.Instances;

internal static class SampleInstancesExtensions
{
    /// <summary>
    /// Starts <paramref name="count"/> instances of a sample app, <c>{pool}-1</c> … <c>{pool}-N</c>, each on a port of
    /// its own and not behind Aspire's proxy, so that the gateway and the health monitor reach each one directly and
    /// a stopped instance really stops answering.
    /// </summary>
    public static SamplePool AddSampleInstances<TProject>(
        this IDistributedApplicationBuilder builder, string pool, int count, string healthPath)
        where TProject : IProjectMetadata, new()
    {
        var instances = Enumerable.Range(1, count)
            .Select(i => $"{pool}-{i}")
            .Select(id => builder.AddProject<TProject>(id, launchProfileName: null)
                .WithHttpEndpoint(port: Infrastructure.FreePort.Next(), name: "http", isProxied: false)
                .WithEnvironment("Sample__InstanceId", id)
                .WithHttpHealthCheck(healthPath))
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
}
