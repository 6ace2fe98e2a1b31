namespace StarGuide.Testing.Tests;

// How a container that does not come up fails; the working paths are in the servers' own tests.
public sealed class ServerContainerTests
{
    [SkippableFact]
    public async Task A_container_that_exits_at_start_fails_with_its_log_lines_and_is_removed()
    {
        const string image = "starguide/redis:local";
        var engine = await DockerRequirement.EngineWithAsync(image);
        var run = Guid.NewGuid().ToString("N");

        // An InvalidOperationException naming the exit, not the TimeoutException of a server that never answered.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerContainer.StartAsync(
            engine,
            image,
            6379,
            builder => builder
                .WithLabel("org.starguide.tests.case", run)
                .WithEntrypoint("/bin/sh", "-c", "echo 'bind: address already in use' >&2; exit 3"),
            (port, ct) => ServerProbes.RedisPingAsync(port, password: null, ct),
            CancellationToken.None));

        Assert.Matches(@"^starguide/redis:local container on 127\.0\.0\.1:\d+ exited during start-up \(exit code 3[;)]", error.Message);
        Assert.Contains("bind: address already in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerRequirement.ContainerIdsAsync($"org.starguide.tests.case={run}"));
    }
}
