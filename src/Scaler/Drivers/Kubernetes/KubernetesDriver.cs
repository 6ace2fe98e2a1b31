using System.Net;
using k8s;
using k8s.Models;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>
/// Runs a pool's instances as the pods of one Deployment. The driver never creates or deletes pods itself: it changes
/// the Deployment's replica count and lets the ReplicaSet do it, so Kubernetes keeps owning the pods (it replaces
/// crashed ones, and they outlive a scaler restart; <see cref="ListAsync"/> re-adopts them by label).
/// </summary>
internal sealed class KubernetesDriver(
    string pool, KubernetesDriverOptions options, IKubernetes client, string @namespace, TimeProvider time, ILogger<KubernetesDriver> logger)
    : IInstanceDriver, IDisposable
{
    /// <summary>Makes the ReplicaSet remove this pod first when the replicas go down (among pods equally ready).</summary>
    private const string DeletionCostPatch = """{"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"-1000"}}}""";

    private readonly DeploymentScale _scale = new(client, @namespace, options.Deployment);
    private readonly PodClaims _claims = new();
    private string? _selector = string.IsNullOrWhiteSpace(options.LabelSelector) ? null : options.LabelSelector;

    public string Kind => KubernetesDriverFactory.DriverKind;

    /// <summary>Never raised: pods that end are seen by <see cref="ListAsync"/>.</summary>
    public event Action<InstanceExit>? Exited
    {
        add { }
        remove { }
    }

    /// <summary>
    /// Adds a replica and returns the pod that appears for it (the pod's name is the instance id, not
    /// <see cref="InstanceLaunch.InstanceId"/>: Kubernetes names pods): the oldest new pod that no other start of this
    /// driver has returned (<see cref="PodClaims"/>), so that starts made at once each get a pod of their own. If none
    /// runs with an IP within <see cref="KubernetesDriverOptions.PodTimeout"/>, the replica is taken back (the
    /// ReplicaSet removes a pending or unready pod first) so that failed starts do not pile up replicas.
    /// </summary>
    public async Task<RunningInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        var before = (await ListPodsAsync(cancellationToken).ConfigureAwait(false)).Select(p => p.Metadata.Name).ToHashSet();
        var (from, to) = await _scale.ChangeAsync(+1, cancellationToken).ConfigureAwait(false);
        KubernetesDriverLog.Scaled(logger, pool, options.Deployment, from, to, launch.InstanceId);

        var deadline = time.GetUtcNow() + options.PodTimeout;
        while (true)
        {
            var candidates = (await ListPodsAsync(cancellationToken).ConfigureAwait(false))
                .Where(p => !before.Contains(p.Metadata.Name) && PodView.IsServing(p))
                .OrderBy(p => p.Metadata.CreationTimestamp)
                .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
                .ToList();
            var claimed = _claims.ClaimFirst(candidates.Select(p => p.Metadata.Name));
            if (candidates.FirstOrDefault(p => p.Metadata.Name == claimed) is { } pod)
            {
                var instance = PodView.ToInstance(pod, options.Port, time.GetUtcNow());
                KubernetesDriverLog.Started(logger, pool, launch.InstanceId, instance.InstanceId, instance.Address);
                return instance;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new InstanceDriverException(
                    $"No new pod of deployment {@namespace}/{options.Deployment} was Running with an IP within {options.PodTimeout} " +
                    $"after scaling it from {from} to {to} replicas; {await ScaleBackAsync(cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Marks the pod as the cheapest to delete and takes one replica away, so that the ReplicaSet deletes that pod.
    /// Kubernetes then sends it SIGTERM and SIGKILL after the pod spec's <c>terminationGracePeriodSeconds</c>: that,
    /// not <paramref name="grace"/>, is the grace period (a scale-down cannot carry one), so set it in the pod spec
    /// to at least the pool's <c>DrainTimeout</c>.
    /// </summary>
    public async Task StopAsync(RunningInstance instance, TimeSpan grace, CancellationToken cancellationToken)
    {
        var name = instance.Handle;
        var pod = (await ListPodsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Metadata.Name == name);
        if (pod is null)
        {
            return;
        }

        if (pod.Metadata.DeletionTimestamp is null)
        {
            try
            {
                await KubernetesCall.RunAsync($"PATCH /api/v1/namespaces/{@namespace}/pods/{name}", () => client.CoreV1.PatchNamespacedPodAsync(
                    new V1Patch(DeletionCostPatch, V1Patch.PatchType.MergePatch), name, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch (InstanceDriverException ex) when (KubernetesCall.Is(ex, HttpStatusCode.NotFound))
            {
                return;
            }

            var (from, to) = await _scale.ChangeAsync(-1, cancellationToken).ConfigureAwait(false);
            KubernetesDriverLog.Stopping(logger, pool, name, options.Deployment, from, to, PodView.GracePeriod(pod), grace);
        }

        var deadline = time.GetUtcNow() + PodView.GracePeriod(pod) + options.PodTimeout;
        while ((await ListPodsAsync(cancellationToken).ConfigureAwait(false)).Any(p => p.Metadata.Name == name))
        {
            if (time.GetUtcNow() >= deadline)
            {
                throw new InstanceDriverException(
                    $"Pod {@namespace}/{name} was still there {PodView.GracePeriod(pod) + options.PodTimeout} after deployment {options.Deployment} " +
                    "was scaled down for it (the ReplicaSet may have removed a less ready pod instead).");
            }

            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        KubernetesDriverLog.Stopped(logger, pool, name);
    }

    public async Task<IReadOnlyList<RunningInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var listing = _claims.BeginListing();
        var pods = await ListPodsAsync(cancellationToken).ConfigureAwait(false);
        _claims.Prune(listing, pods.Select(p => p.Metadata.Name));
        return pods
            .Where(PodView.IsServing)
            .Select(p => PodView.ToInstance(p, options.Port, now))
            .ToList();
    }

    public void Dispose() => client.Dispose();

    /// <summary>Takes back the replica of a failed start; says what happened, for the start's own error message.</summary>
    private async Task<string> ScaleBackAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (_, back) = await _scale.ChangeAsync(-1, cancellationToken).ConfigureAwait(false);
            return $"scaled it back to {back}.";
        }
        catch (InstanceDriverException ex)
        {
            return $"could not scale it back: {ex.Message}";
        }
    }

    private async Task<IList<V1Pod>> ListPodsAsync(CancellationToken cancellationToken)
    {
        var selector = _selector ??= await SelectorFromScaleAsync(cancellationToken).ConfigureAwait(false);
        var list = await KubernetesCall.RunAsync(
            $"GET /api/v1/namespaces/{@namespace}/pods?labelSelector={selector}",
            () => client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return list.Items ?? [];
    }

    private async Task<string> SelectorFromScaleAsync(CancellationToken cancellationToken)
    {
        var scale = await _scale.ReadAsync(cancellationToken).ConfigureAwait(false);
        return scale.Status?.Selector is { Length: > 0 } selector
            ? selector
            : throw new InstanceDriverException($"GET {_scale.Path} reports no status.selector; set Kubernetes:LabelSelector.");
    }
}
