using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;

namespace StarGuide.Testing.Tests;

/// <summary>For tests that need the Docker engine and the project's images.</summary>
internal static class DockerRequirement
{
    /// <summary>
    /// The engine, when it answers and has the image. Otherwise the test skips saying why (<c>skip: docker: …</c> or
    /// <c>skip: docker-images: …</c>), except with STARGUIDE_TEST_SERVERS=containers, where a container pass must not
    /// pass by skipping, or where the run requires the need (<see cref="NeedPolicy"/>): then the test fails.
    /// </summary>
    internal static async Task<IDockerEndpointAuthenticationConfiguration> EngineWithAsync(string image)
    {
        var check = await DockerEngine.CheckAsync(endpoint: null, image, CancellationToken.None);
        if (check.Engine is null && ResolutionOptions.Default.Selection == ServerSelection.Containers)
        {
            Assert.Fail($"STARGUIDE_TEST_SERVERS=containers, but {check.Problem}");
        }

        (check.ImageMissing ? Need.DockerImages : Need.Docker).Check(check.Engine is null ? check.Problem : null);
        return check.Engine!;
    }

    /// <summary>IDs of the containers, running or not, that carry the label (name=value), on the engine Testcontainers found.</summary>
    internal static async Task<IReadOnlyList<string>> ContainerIdsAsync(string label)
    {
        using var configuration = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientConfiguration();
        using var client = configuration.CreateClient();
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        });
        return [.. containers.Select(c => c.ID)];
    }
}
