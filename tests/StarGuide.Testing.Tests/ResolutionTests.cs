namespace StarGuide.Testing.Tests;

// Each branch of the resolution and each of its errors, driven through ResolutionOptions, not the real environment.
public sealed class ResolutionTests
{
    private static readonly ServerKind _redis = new("Redis", "STARGUIDE_TEST_REDIS", "redis-server");

    // A socket nothing listens on: an engine that does not answer, whatever this machine has.
    private static readonly Uri _noEngine = new("unix:///nonexistent/starguide-test-docker.sock");

    [Theory]
    [InlineData(null, "Auto")]
    [InlineData(" ", "Auto")]
    [InlineData("auto", "Auto")]
    [InlineData("local", "Local")]
    [InlineData(" Containers ", "Containers")]
    public void STARGUIDE_TEST_SERVERS_selects_the_sources(string? value, string expected)
    {
        Assert.Equal(expected, new ResolutionOptions(name => name == "STARGUIDE_TEST_SERVERS" ? value : null).Selection.ToString());
    }

    [Fact]
    public async Task A_bad_STARGUIDE_TEST_SERVERS_is_an_error_naming_the_variable_and_the_allowed_values()
    {
        var options = TestOptions.With(("STARGUIDE_TEST_SERVERS", "docker"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(options, CancellationToken.None));

        Assert.Equal("STARGUIDE_TEST_SERVERS must be auto (the default), local or containers, but is 'docker'.", error.Message);
    }

    [SkippableFact]
    public async Task Auto_starts_a_local_process_when_the_executables_are_there()
    {
        Need.RedisServer.Check(LocalExecutables.FindRedisServer() is not null, "redis-server is not installed (apt-get install -y redis-server)");

        await using var server = await RedisServer.StartAsync(TestOptions.With(), CancellationToken.None);

        Assert.Equal(ServerSources.LocalProcess, server.Source);
        Assert.True(server.SupportsOutages);
    }

    [Fact]
    public async Task Auto_without_executables_nor_Docker_names_both_options()
    {
        var options = TestOptions.With() with { LookForLocalExecutables = false, DockerEndpoint = _noEngine };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(options, CancellationToken.None));

        Assert.StartsWith("Cannot start a Redis server for the tests: STARGUIDE_TEST_REDIS is not set; no local process, because "
            + "redis-server (on PATH) is missing (fix: apt-get install -y redis-server); no container, because no Docker engine answers at "
            + "unix:///nonexistent/starguide-test-docker.sock", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Fix either, or set STARGUIDE_TEST_REDIS to a running server.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_without_executables_says_what_to_install_and_never_asks_Docker()
    {
        var options = TestOptions.Local with { LookForLocalExecutables = false };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqServer.StartAsync(options, CancellationToken.None));

        Assert.Equal(
            "Cannot start a RabbitMQ server for the tests: STARGUIDE_TEST_SERVERS=local, but /usr/lib/rabbitmq/bin/rabbitmq-server "
            + "and epmd (on PATH, from Erlang) are missing. Fix: apt-get install -y rabbitmq-server, or set STARGUIDE_TEST_SERVERS=containers "
            + "to use the project's images.",
            error.Message);
    }

    [Fact]
    public async Task Containers_without_an_engine_names_the_engine_and_how_to_start_one()
    {
        var options = TestOptions.Containers with { DockerEndpoint = _noEngine };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(options, CancellationToken.None));

        Assert.StartsWith(
            "Cannot start a Redis server for the tests: STARGUIDE_TEST_SERVERS=containers, but no Docker engine answers at unix:///nonexistent/",
            error.Message,
            StringComparison.Ordinal);
        Assert.EndsWith("start one, e.g. with bash .ci/docker-engine.sh.", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Containers_with_a_missing_image_says_to_build_the_images_instead_of_pulling()
    {
        await DockerRequirement.EngineWithAsync(TestOptions.Containers.RedisImage);
        var options = TestOptions.Containers with { RedisImage = "starguide/redis:no-such-tag" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(options, CancellationToken.None));

        Assert.Contains("STARGUIDE_TEST_SERVERS=containers, but the Docker engine at ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "has no image starguide/redis:no-such-tag: run bash deploy/build-images.sh (the project's images are built here, never pulled).",
            error.Message,
            StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Auto_without_executables_starts_a_container()
    {
        await DockerRequirement.EngineWithAsync(TestOptions.Containers.RedisImage);

        await using var server = await RedisServer.StartAsync(TestOptions.With() with { LookForLocalExecutables = false }, CancellationToken.None);

        Assert.Equal(ServerSources.Testcontainers, server.Source);
        Assert.NotNull(server.Container);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task A_server_named_in_the_environment_contradicts_local_or_containers(string selection)
    {
        var options = TestOptions.With(("STARGUIDE_TEST_SERVERS", selection), ("STARGUIDE_TEST_REDIS", "127.0.0.1:6399"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(options, CancellationToken.None));

        Assert.Equal(
            $"STARGUIDE_TEST_SERVERS={selection} asks for servers that the tests start, but STARGUIDE_TEST_REDIS names a running one: "
            + "unset one of the two.",
            error.Message);
    }

    [Fact]
    public void The_message_lists_every_missing_executable()
    {
        var message = ServerResolution.NoServerMessage(
            new ServerKind("RabbitMQ", "STARGUIDE_TEST_RABBITMQ", "rabbitmq-server"),
            ServerSelection.Auto,
            ["/usr/lib/rabbitmq/bin/rabbitmq-server", "epmd (on PATH, from Erlang)"],
            "no Docker engine answers");

        Assert.Contains("/usr/lib/rabbitmq/bin/rabbitmq-server and epmd (on PATH, from Erlang) are missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_containers_message_is_the_engine_problem()
    {
        Assert.Equal(
            "Cannot start a Redis server for the tests: STARGUIDE_TEST_SERVERS=containers, but the image is missing: build it.",
            ServerResolution.NoServerMessage(_redis, ServerSelection.Containers, [], "the image is missing: build it"));
    }

    [Fact]
    public void FindOnPath_returns_null_for_an_executable_that_is_not_there()
    {
        Assert.Null(LocalExecutables.FindOnPath("starguide-no-such-executable", "/usr/bin:/bin"));
        Assert.Equal("/bin/sh", LocalExecutables.FindOnPath("sh", "/nonexistent:/bin"));
    }
}
