using System.Diagnostics;
using System.Text.RegularExpressions;
using Testcontainers.RabbitMq;
using Testcontainers.Redis;
using Xunit.Abstractions;

namespace StarGuide.Testing.Tests;

// How a container that does not come up fails; the working paths are in the servers' own tests.
public sealed class ServerContainerTests(ITestOutputHelper output)
{
    // Without the exit watch, Testcontainers' own wait for the published port gives up after 15 s on a container that
    // exited at once, and the RabbitMQ module's log check after Readiness.Timeout (180 s) on one that exited later. The
    // watch reports either in 1-2 s on an idle machine; the bounds leave room for a loaded one.
    private static readonly TimeSpan _atOnceForAnImmediateExit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _atOnceForALateExit = Readiness.Timeout / 3;

    [SkippableFact]
    public async Task A_container_that_exits_at_start_fails_with_its_log_lines_and_is_removed()
    {
        var image = ResolutionOptions.Default.RedisImage;
        var engine = await DockerRequirement.EngineWithAsync(image);
        var run = Guid.NewGuid().ToString("N");

        // An InvalidOperationException naming the exit, not the TimeoutException of a server that never answered.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerContainer.StartAsync<RedisBuilder, RedisContainer>(
            engine,
            new RedisBuilder()
                .WithLabel("org.starguide.tests.case", run)
                .WithEntrypoint("/bin/sh", "-c", "echo 'bind: address already in use' >&2; exit 3"),
            image,
            RedisBuilder.RedisPort,
            (port, ct) => ServerProbes.RedisPingAsync(port, password: null, ct),
            CancellationToken.None));

        Assert.Matches($@"^{Regex.Escape(image)} container on 127\.0\.0\.1:\d+ exited during start-up \(exit code 3[;)]", error.Message);
        Assert.Contains("bind: address already in use", error.Message, StringComparison.Ordinal);
        Assert.Empty(await DockerRequirement.ContainerIdsAsync($"org.starguide.tests.case={run}"));
    }

    // The module waits for "Server startup complete" in the log, which a refused broker never writes: the refusal must
    // still come at once, with the image's own words.
    [SkippableTheory]
    [InlineData("guest", "guest", "guest/guest is RabbitMQ's well-known loopback-only account")]
    [InlineData("starguide", "", "RABBITMQ_DEFAULT_PASS is not set")]
    public async Task Broker_through_the_module_with_a_refused_administrator_fails_at_once_with_the_images_refusal(
        string user, string password, string refusal)
    {
        var image = ResolutionOptions.Default.RabbitMqImage;
        var engine = await DockerRequirement.EngineWithAsync(image);
        var run = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();

        // The module itself refuses an empty password (its Build validates it); the image is asked through the variable.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqServer.StartContainerAsync(
            engine,
            image,
            user,
            password.Length == 0 ? "placeholder" : password,
            b => b.WithLabel("org.starguide.tests.case", run).WithEnvironment("RABBITMQ_DEFAULT_PASS", password),
            CancellationToken.None));
        output.WriteLine($"refused in {clock.Elapsed.TotalSeconds:0.0} s: {error.Message}");

        Assert.Matches($@"^{Regex.Escape(image)} container on 127\.0\.0\.1:\d+ exited during start-up \(exit code 1[;)]", error.Message);
        Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
        Assert.True(
            clock.Elapsed < _atOnceForAnImmediateExit,
            $"the refusal took {clock.Elapsed.TotalSeconds:0.0} s; the exit watch should report it long before the module's wait times out");
        Assert.Empty(await DockerRequirement.ContainerIdsAsync($"org.starguide.tests.case={run}"));
    }

    [SkippableFact]
    public async Task Broker_container_that_dies_after_it_was_up_fails_at_once_not_at_the_modules_timeout()
    {
        var image = ResolutionOptions.Default.RabbitMqImage;
        var engine = await DockerRequirement.EngineWithAsync(image);
        var run = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();

        // Up long enough for Testcontainers to see its port published, then gone before "Server startup complete".
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqServer.StartContainerAsync(
            engine,
            image,
            "starguide",
            "a-password-of-its-own",
            b => b.WithLabel("org.starguide.tests.case", run)
                .WithEntrypoint("/bin/sh", "-c", "sleep 3; echo 'boot failed: kernel pid terminated' >&2; exit 2"),
            CancellationToken.None));
        output.WriteLine($"reported in {clock.Elapsed.TotalSeconds:0.0} s: {error.Message}");

        Assert.Matches($@"^{Regex.Escape(image)} container on 127\.0\.0\.1:\d+ exited during start-up \(exit code 2[;)]", error.Message);
        Assert.Contains("boot failed: kernel pid terminated", error.Message, StringComparison.Ordinal);
        Assert.True(
            clock.Elapsed < _atOnceForALateExit,
            $"the exit took {clock.Elapsed.TotalSeconds:0.0} s to report; the module's log check alone waits {Readiness.Timeout.TotalSeconds:0} s");
        Assert.Empty(await DockerRequirement.ContainerIdsAsync($"org.starguide.tests.case={run}"));
    }
}
