namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>The labels by which the driver recognises its containers, and the engine filters that select a pool's.</summary>
internal static class DockerLabels
{
    public const string Prefix = "io.starguide.";
    public const string ManagedBy = Prefix + "managed-by";
    public const string ManagedByValue = "starguide-scaler";
    public const string Pool = Prefix + "pool";
    public const string Instance = Prefix + "instance";
    public const string Port = Prefix + "port";

    public static Dictionary<string, string> For(InstanceLaunch launch, DockerDriverOptions options)
    {
        var labels = new Dictionary<string, string>(options.Labels, StringComparer.Ordinal)
        {
            [ManagedBy] = ManagedByValue,
            [Pool] = launch.Pool,
            [Instance] = launch.InstanceId,
            [Port] = options.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return labels;
    }

    /// <summary>Engine filter (<c>label=k=v</c>, all must match) for the containers of <paramref name="pool"/>.</summary>
    public static Dictionary<string, bool> PoolFilter(string pool, DockerDriverOptions options)
    {
        var filter = new Dictionary<string, bool>(StringComparer.Ordinal)
        {
            [$"{ManagedBy}={ManagedByValue}"] = true,
            [$"{Pool}={pool}"] = true,
        };
        foreach (var (key, value) in options.Labels)
        {
            filter[$"{key}={value}"] = true;
        }

        return filter;
    }
}
