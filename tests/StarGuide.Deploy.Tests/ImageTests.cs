using StarGuide.Deploy.Tests.Kustomize;
using StarGuide.Deploy.Tests.Manifests;
using System.Text.RegularExpressions;

namespace StarGuide.Deploy.Tests;

public sealed partial class ImageTests
{
    /// <summary>The images deploy/build-images.sh builds (the compose stack runs the same ones).</summary>
    private static readonly string[] LocalImages =
    [
        "starguide/gateway:local", "starguide/health-monitor:local", "starguide/scaler:local", "starguide/backup-service:local",
        "starguide/sample-backend:local", "starguide/sample-frontend:local", "starguide/rabbitmq:local", "starguide/redis:local",
    ];

    [Fact]
    public void The_local_overlay_runs_exactly_the_locally_built_images()
    {
        var images = Overlays.Render(Overlays.Local).SelectMany(Workloads.Containers).Select(c => c.Image).Distinct().Order();

        Assert.Equal(LocalImages.Order(), images);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_image_has_a_tag_that_is_not_latest(string overlay)
    {
        foreach (var container in Overlays.Render(overlay).SelectMany(Workloads.Containers))
        {
            var (_, tag) = Workloads.SplitImage(container.Image);
            Assert.True(tag is { Length: > 0 } and not "latest", $"{container.Name}: image {container.Image} has no fixed tag.");
        }
    }

    [Fact]
    public void The_production_overlay_runs_no_locally_built_image()
    {
        Assert.All(Overlays.Render(Overlays.Production).SelectMany(Workloads.Containers),
            c => Assert.False(c.Image.EndsWith(":local", StringComparison.Ordinal), $"{c.Name}: {c.Image} exists only on the machine that built it."));
    }

    [Fact]
    public void The_local_overlay_runs_the_images_of_the_compose_stack()
    {
        // Anywhere in the file: the sample pools' images may be settings of the scaler's docker driver, not services.
        var composeImages = ImageReference().Matches(File.ReadAllText(Repository.ComposeFile)).Select(m => m.Value).ToHashSet();

        Assert.Empty(LocalImages.Where(i => !composeImages.Contains(i)).Select(i => $"{i} is not an image of {Repository.ComposeFile}"));
    }

    [GeneratedRegex(@"starguide/[a-z0-9-]+:[A-Za-z0-9._-]+")]
    private static partial Regex ImageReference();
}
