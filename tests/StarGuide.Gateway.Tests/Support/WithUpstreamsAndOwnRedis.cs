using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// <see cref="WithUpstreams"/> with a Redis started for each test and stopped after it: for tests that stop Redis or
/// count its commands, which a Redis shared by other tests would disturb.
/// </summary>
public abstract class WithUpstreamsAndOwnRedis : WithUpstreams
{
    protected RedisServer Redis { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
