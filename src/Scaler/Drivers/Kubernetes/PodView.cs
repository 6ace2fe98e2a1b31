using System.Globalization;
using System.Net.Sockets;
using k8s.Models;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>How the driver reads a pod: whether it serves, and the instance it is.</summary>
internal static class PodView
{
    /// <summary>The gateway may send it requests: Running, with an IP, and not being deleted.</summary>
    public static bool IsServing(V1Pod pod) =>
        pod.Status?.Phase == "Running" && !string.IsNullOrEmpty(pod.Status.PodIP) && pod.Metadata?.DeletionTimestamp is null;

    public static RunningInstance ToInstance(V1Pod pod, int port, DateTimeOffset now)
    {
        var name = pod.Metadata.Name;
        var started = pod.Status?.StartTime ?? pod.Metadata.CreationTimestamp;
        return new RunningInstance(
            name,
            Address(pod.Status!.PodIP, port),
            name,
            started is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now);
    }

    public static Uri Address(string podIp, int port)
    {
        var host = System.Net.IPAddress.TryParse(podIp, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{podIp}]" : podIp;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
    }

    /// <summary>How long Kubernetes lets the pod finish after SIGTERM before SIGKILL (its spec; 30 s when unset).</summary>
    public static TimeSpan GracePeriod(V1Pod pod) => TimeSpan.FromSeconds(pod.Spec?.TerminationGracePeriodSeconds ?? 30);
}
