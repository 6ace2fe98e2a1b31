namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>Settings of the <c>kubernetes</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Kubernetes</c>).</summary>
internal sealed class KubernetesDriverOptions
{
}
