namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>
/// Settings of the <c>kubernetes</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Kubernetes</c>): the pool's instances
/// are the pods of one Deployment, whose replica count the driver changes through its <c>scale</c> subresource.
/// </summary>
internal sealed class KubernetesDriverOptions
{
    /// <summary>The Deployment's namespace; empty: the one of the in-cluster service account or the kubeconfig context, else <c>default</c>.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>The Deployment's name, e.g. <c>starguide-backend</c>.</summary>
    public string Deployment { get; set; } = "";

    /// <summary>
    /// Label selector of the Deployment's pods, e.g. <c>app=starguide-backend</c>; empty: the selector the scale
    /// subresource reports (<c>status.selector</c>), i.e. the Deployment's own.
    /// </summary>
    public string LabelSelector { get; set; } = "";

    /// <summary>The container port the pods serve on; instances are addressed as <c>http://&lt;podIP&gt;:&lt;Port&gt;</c>.</summary>
    public int Port { get; set; }

    /// <summary>Use the pod's service account (<c>true</c>), a kubeconfig (<c>false</c>), or decide by whether the scaler runs in a pod (unset).</summary>
    public bool? InCluster { get; set; }

    /// <summary>The kubeconfig file when not in cluster; empty: <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    public string KubeconfigPath { get; set; } = "";

    /// <summary>The kubeconfig context; empty: its current context.</summary>
    public string Context { get; set; } = "";

    /// <summary>
    /// An API server URL to use as it is, without credentials, instead of the above, e.g. <c>http://127.0.0.1:8001</c>
    /// from <c>kubectl proxy</c> (or a test's stand-in).
    /// </summary>
    public string ApiServer { get; set; } = "";

    /// <summary>
    /// How long a start waits for the new pod to be Running with an IP, and how long a stop waits, beyond the pod's
    /// <c>terminationGracePeriodSeconds</c>, for the pod to be gone.
    /// </summary>
    public TimeSpan PodTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the driver lists the pods while it waits for one to appear or go.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
