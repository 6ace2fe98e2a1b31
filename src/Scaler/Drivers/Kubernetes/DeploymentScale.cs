using System.Net;
using k8s;
using k8s.Models;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>
/// The Deployment's <c>scale</c> subresource: reads it, and changes <c>spec.replicas</c> with a PUT that carries the
/// <c>resourceVersion</c> it read, so that a change made meanwhile by someone else (kubectl, an autoscaler, a second
/// scaler) is not overwritten but answered with 409 Conflict, after which it reads again.
/// </summary>
internal sealed class DeploymentScale(IKubernetes client, string @namespace, string deployment)
{
    private const int Attempts = 5;

    public string Path => $"/apis/apps/v1/namespaces/{@namespace}/deployments/{deployment}/scale";

    public Task<V1Scale> ReadAsync(CancellationToken cancellationToken) =>
        KubernetesCall.RunAsync($"GET {Path}", () => client.AppsV1.ReadNamespacedDeploymentScaleAsync(deployment, @namespace, cancellationToken: cancellationToken));

    /// <summary>Adds <paramref name="delta"/> to the replicas (never below 0); returns the count before and after.</summary>
    public async Task<(int From, int To)> ChangeAsync(int delta, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var scale = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var from = scale.Spec?.Replicas ?? 0;
            var to = Math.Max(0, from + delta);
            scale.Spec ??= new V1ScaleSpec();
            scale.Spec.Replicas = to;
            try
            {
                await KubernetesCall.RunAsync($"PUT {Path}", () => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(
                    scale, deployment, @namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return (from, to);
            }
            catch (InstanceDriverException ex) when (KubernetesCall.Is(ex, HttpStatusCode.Conflict) && attempt < Attempts)
            {
            }
        }
    }
}
