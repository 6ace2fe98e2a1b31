using StackExchange.Redis;

namespace StarGuide.Testing.Tests;

// Each test starts its own redis-server: it is ready in milliseconds, and outage tests must not disturb others.
public sealed class RedisServerTests
{
    [Fact]
    public async Task Local_process_answers_set_and_get()
    {
        await using var server = await RedisServer.StartLocalProcessAsync(CancellationToken.None);

        Assert.Equal(ServerSources.LocalProcess, server.Source);
        Assert.StartsWith("127.0.0.1:", server.ConnectionString, StringComparison.Ordinal);
        await using var redis = await ConnectAsync(server.ConnectionString);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("greeting", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("greeting"));
    }

    [Fact]
    public async Task StopAsync_makes_connections_fail_and_StartAgainAsync_restores_them_on_the_same_port()
    {
        await using var server = await RedisServer.StartLocalProcessAsync(CancellationToken.None);
        var connectionString = server.ConnectionString;
        var firstPid = server.ProcessId;
        Assert.NotNull(firstPid);

        await server.StopAsync();

        Assert.Null(server.ProcessId);
        Assert.False(ProcessState.IsAlive(firstPid.Value));
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(connectionString));

        await server.StartAgainAsync();

        Assert.Equal(connectionString, server.ConnectionString);
        Assert.NotEqual(firstPid, server.ProcessId);
        await using var redis = await ConnectAsync(connectionString);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("after-restart", "yes"));
        Assert.Equal("yes", (string?)await db.StringGetAsync("after-restart"));
    }

    [Fact]
    public async Task DisposeAsync_kills_the_process_and_deletes_the_data_directory()
    {
        var server = await RedisServer.StartLocalProcessAsync(CancellationToken.None);
        var pid = server.ProcessId;
        var dataDirectory = server.DataDirectory;
        Assert.NotNull(pid);
        Assert.True(ProcessState.IsAlive(pid.Value));
        Assert.True(Directory.Exists(dataDirectory));

        await server.DisposeAsync();
        await server.DisposeAsync(); // Idempotent: fixtures and `await using` may both dispose.

        Assert.False(ProcessState.IsAlive(pid.Value));
        Assert.False(Directory.Exists(dataDirectory));
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(server.ConnectionString));
    }

    [Fact]
    public async Task Environment_variable_names_an_existing_server_that_is_not_ours_to_stop()
    {
        var options = new ResolutionOptions(
            name => name == "STARGUIDE_TEST_REDIS" ? " 127.0.0.1:6399 " : null,
            TryTestcontainers: false);

        await using var server = await RedisServer.StartAsync(options, CancellationToken.None);

        Assert.Equal(ServerSources.Environment, server.Source);
        Assert.Equal("127.0.0.1:6399", server.ConnectionString);
        var error = await Assert.ThrowsAsync<NotSupportedException>(server.StopAsync);
        Assert.Contains("'environment'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => server.StartAgainAsync());
    }

    [Fact]
    public async Task Without_environment_variable_resolution_falls_back_from_Docker_to_a_working_server()
    {
        var options = new ResolutionOptions(_ => null, TryTestcontainers: true);

        await using var server = await RedisServer.StartAsync(options, CancellationToken.None);

        // This machine has no Docker daemon; where one answers, the container is just as good.
        var expected = DockerProbe.UnavailableReason is null ? ServerSources.Testcontainers : ServerSources.LocalProcess;
        Assert.Equal(expected, server.Source);
        await using var redis = await ConnectAsync(server.ConnectionString);
        Assert.Equal("1", (string?)await redis.GetDatabase().ExecuteAsync("ECHO", "1"));
    }

    [Fact]
    public async Task RedisFixture_starts_and_disposes_a_server()
    {
        var fixture = new RedisFixture();
        Assert.Throws<InvalidOperationException>(() => fixture.Server);

        await fixture.InitializeAsync();
        try
        {
            await using var redis = await ConnectAsync(fixture.Server.ConnectionString);
            Assert.True(await redis.GetDatabase().PingAsync() >= TimeSpan.Zero);
        }
        finally
        {
            await fixture.DisposeAsync();
        }

        Assert.Throws<InvalidOperationException>(() => fixture.Server);
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // Fail fast and loudly: these tests assert on whether a server answers at all.
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        options.ConnectRetry = 1;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
