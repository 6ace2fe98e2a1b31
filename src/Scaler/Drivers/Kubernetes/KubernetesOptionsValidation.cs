namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>The checks behind <see cref="KubernetesDriverFactory.Validate"/>, each message naming its key.</summary>
internal static class KubernetesOptionsValidation
{
    public static IEnumerable<string> Problems(string key, KubernetesDriverOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            yield return $"{key}:Deployment is required. Example: starguide-backend.";
        }

        if (options.Port is < 1 or > 65535)
        {
            yield return $"{key}:Port is required: the container port the pods serve on, 1 to 65535 (it is {options.Port}).";
        }

        if (!string.IsNullOrWhiteSpace(options.ApiServer)
            && (!Uri.TryCreate(options.ApiServer, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https")))
        {
            yield return $"{key}:ApiServer '{options.ApiServer}' is not an absolute http(s) URL.";
        }
        else if (string.IsNullOrWhiteSpace(options.ApiServer) && options.InCluster == true && !k8s.KubernetesClientConfiguration.IsInCluster())
        {
            yield return $"{key}:InCluster is true but the scaler does not run in a pod (no service account token or KUBERNETES_SERVICE_HOST).";
        }
        else if (KubernetesClientConfig.KubeconfigFile(options) is { } file && !File.Exists(file))
        {
            yield return $"{key}:KubeconfigPath: no kubeconfig at '{file}' and the scaler does not run in a pod (set KubeconfigPath, InCluster or ApiServer).";
        }

        if (options.PodTimeout <= TimeSpan.Zero)
        {
            yield return $"{key}:PodTimeout must be positive (it is {options.PodTimeout}).";
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            yield return $"{key}:PollInterval must be positive (it is {options.PollInterval}).";
        }
    }
}
