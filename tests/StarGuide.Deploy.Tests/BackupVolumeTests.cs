using k8s.Models;
using StarGuide.Deploy.Tests.Manifests;

namespace StarGuide.Deploy.Tests;

/// <summary>
/// The backup service's root file system is read-only: its archives must go to a writable volume, and what it archives
/// must be a volume too (else it would archive the image's own, empty folder).
/// </summary>
public sealed class BackupVolumeTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_backup_destination_is_a_writable_volume_and_every_source_a_mounted_one(string overlay)
    {
        var container = Overlays.Named<V1Deployment>(overlay, "backup-service").Spec.Template.Spec.Containers.Single();
        var environment = ContainerEnvironment.Of(overlay, container);
        var mounts = container.VolumeMounts ?? [];

        var destination = environment["Backup__Destination"];
        Assert.True(MountOf(mounts, destination) is { ReadOnlyProperty: not true },
            $"Backup:Destination {destination} is on no writable volume of the container.");
        var sources = environment.Where(p => p.Key.StartsWith("Backup__Sources__", StringComparison.Ordinal) && p.Key.EndsWith("__Path", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(MountOf(mounts, s.Value) is not null, $"{s.Key} {s.Value} is on no volume of the container."));
    }

    private static V1VolumeMount? MountOf(IEnumerable<V1VolumeMount> mounts, string path) =>
        mounts.Where(m => path == m.MountPath || path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => m.MountPath.Length);
}
