using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Pools;
using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Drivers.Kubernetes;

public sealed class KubernetesDriverFactoryTests
{
    private readonly KubernetesDriverFactory _factory = new(TimeProvider.System, NullLoggerFactory.Instance);

    [Fact]
    public void Validate_accepts_a_deployment_a_port_and_an_api_server()
    {
        Assert.Empty(_factory.Validate("Scaler:Pools:backend", Pool()));
        Assert.Equal("kubernetes", _factory.Kind);
    }

    [Fact]
    public void Validate_names_the_missing_deployment_and_port()
    {
        var pool = Pool();
        pool.Kubernetes.Deployment = "";
        pool.Kubernetes.Port = 0;

        var problems = _factory.Validate("Scaler:Pools:backend", pool).ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:Deployment is required.", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:Port is required", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_names_a_bad_api_server_and_timings()
    {
        var pool = Pool();
        pool.Kubernetes.ApiServer = "127.0.0.1:6443";
        pool.Kubernetes.PodTimeout = TimeSpan.Zero;
        pool.Kubernetes.PollInterval = TimeSpan.Zero;

        var problems = _factory.Validate("Scaler:Pools:backend", pool).ToList();

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:ApiServer '127.0.0.1:6443' is not", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:PodTimeout must be positive", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:PollInterval must be positive", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_names_a_missing_kubeconfig_outside_a_cluster()
    {
        var pool = Pool();
        pool.Kubernetes.ApiServer = "";
        pool.Kubernetes.InCluster = false;
        pool.Kubernetes.KubeconfigPath = Path.Combine(Path.GetTempPath(), "starguide-no-such-kubeconfig-" + Guid.NewGuid().ToString("N"));

        var problem = Assert.Single(_factory.Validate("Scaler:Pools:backend", pool));

        Assert.StartsWith($"Scaler:Pools:backend:Kubernetes:KubeconfigPath: no kubeconfig at '{pool.Kubernetes.KubeconfigPath}'", problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Validate_names_in_cluster_when_not_in_a_pod()
    {
        Need.OutsideAPod.Check(!k8s.KubernetesClientConfiguration.IsInCluster(), "the tests run in a pod, where the in-cluster configuration is found");
        var pool = Pool();
        pool.Kubernetes.ApiServer = "";
        pool.Kubernetes.InCluster = true;

        var problem = Assert.Single(_factory.Validate("Scaler:Pools:backend", pool));

        Assert.StartsWith("Scaler:Pools:backend:Kubernetes:InCluster is true but", problem, StringComparison.Ordinal);
    }

    private static ScalerPoolOptions Pool()
    {
        var pool = new ScalerPoolOptions { Driver = "kubernetes" };
        pool.Kubernetes.Deployment = "starguide-backend";
        pool.Kubernetes.Port = 8000;
        pool.Kubernetes.ApiServer = "http://127.0.0.1:8001";
        return pool;
    }
}
