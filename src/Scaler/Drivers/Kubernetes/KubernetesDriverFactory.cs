using k8s;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>Makes <see cref="KubernetesDriver"/>s for pools with <c>Driver: kubernetes</c>.</summary>
internal sealed class KubernetesDriverFactory(TimeProvider time, ILoggerFactory loggers) : IInstanceDriverFactory
{
    public const string DriverKind = "kubernetes";

    public string Kind => DriverKind;

    public IEnumerable<string> Validate(string poolKey, PoolDriverOptions pool) =>
        KubernetesOptionsValidation.Problems($"{poolKey}:Kubernetes", pool.Kubernetes);

    public IInstanceDriver Create(string pool, PoolDriverOptions options)
    {
        var settings = options.Kubernetes;
        var config = KubernetesClientConfig.Build(settings);
        var @namespace = !string.IsNullOrWhiteSpace(settings.Namespace) ? settings.Namespace
            : !string.IsNullOrWhiteSpace(config.Namespace) ? config.Namespace
            : "default";
        return new KubernetesDriver(pool, settings, new k8s.Kubernetes(config), @namespace, time, loggers.CreateLogger<KubernetesDriver>());
    }
}
