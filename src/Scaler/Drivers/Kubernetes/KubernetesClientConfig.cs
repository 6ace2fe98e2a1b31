using k8s;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>Where the driver finds the API server: an explicit URL, the pod's service account, or a kubeconfig.</summary>
internal static class KubernetesClientConfig
{
    public static KubernetesClientConfiguration Build(KubernetesDriverOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiServer))
        {
            return new KubernetesClientConfiguration { Host = options.ApiServer };
        }

        if (options.InCluster ?? KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(
            NullIfEmpty(options.KubeconfigPath), NullIfEmpty(options.Context));
    }

    /// <summary>The kubeconfig file that <see cref="Build"/> reads, when it reads one.</summary>
    public static string? KubeconfigFile(KubernetesDriverOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiServer) || (options.InCluster ?? KubernetesClientConfiguration.IsInCluster()))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(options.KubeconfigPath))
        {
            return options.KubeconfigPath;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        return string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")
            : fromEnvironment.Split(Path.PathSeparator)[0];
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
