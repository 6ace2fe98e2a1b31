using System.Diagnostics;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace StarGuide.Testing.Tests;

// Each test starts its own Redis: it is ready in a second at most, and outage tests must not disturb others.
public sealed class RedisServerTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task Server_answers_set_and_get_on_loopback(string servers)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await StartAsync(servers);
        output.WriteLine($"{server.Source} start: {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(servers == "local" ? ServerSources.LocalProcess : ServerSources.Testcontainers, server.Source);
        Assert.StartsWith("127.0.0.1:", server.ConnectionString, StringComparison.Ordinal);
        await using var redis = await ConnectAsync(server.ConnectionString);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("greeting", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("greeting"));
    }

    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task StopAsync_makes_connections_fail_and_StartAgainAsync_restores_them_on_the_same_port(string servers)
    {
        await using var server = await StartAsync(servers);
        var connectionString = server.ConnectionString;
        var firstPid = server.ProcessId;

        await server.StopAsync();

        Assert.Null(server.ProcessId);
        Assert.False(firstPid is { } pid && ProcessState.IsAlive(pid), $"redis-server {firstPid} should be gone after StopAsync");
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(connectionString));

        await server.StartAgainAsync();

        Assert.Equal(connectionString, server.ConnectionString);
        await using var redis = await ConnectAsync(connectionString);
        var db = redis.GetDatabase();
        Assert.True(await db.StringSetAsync("after-restart", "yes"));
        Assert.Equal("yes", (string?)await db.StringGetAsync("after-restart"));
    }

    [SkippableTheory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task DisposeAsync_removes_the_process_and_its_folder_or_the_container(string servers)
    {
        var server = await StartAsync(servers);
        var remains = Remains.Of(server);
        Assert.Equal(servers == "local" ? 2 : 1, (await remains.StillThereAsync()).Count);

        await server.DisposeAsync();
        await server.DisposeAsync(); // Idempotent: fixtures and `await using` may both dispose.

        Assert.Empty(await remains.StillThereAsync());
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(server.ConnectionString));
    }

    [Fact]
    public async Task Environment_variable_names_an_existing_server_that_is_not_ours_to_stop()
    {
        var options = TestOptions.With(("STARGUIDE_TEST_REDIS", " 127.0.0.1:6399 "));

        await using var server = await RedisServer.StartAsync(options, CancellationToken.None);

        Assert.Equal(ServerSources.Environment, server.Source);
        Assert.Equal("127.0.0.1:6399", server.ConnectionString);
        Assert.False(server.SupportsOutages);
        var error = await Assert.ThrowsAsync<NotSupportedException>(server.StopAsync);
        Assert.Contains("'environment'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(() => server.StartAgainAsync());
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

    private static async Task<RedisServer> StartAsync(string servers)
    {
        var options = TestOptions.With((ResolutionOptions.ServersVariable, servers));
        if (servers == "containers")
        {
            await DockerRequirement.EngineWithAsync(options.RedisImage);
        }

        return await RedisServer.StartAsync(options, CancellationToken.None);
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
