using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// A test class whose every test gets a fresh real backend (<c>backend-1</c>) and frontend (<c>frontend-1</c>)
/// upstream, stopped after the test whatever its outcome.
/// </summary>
public abstract class WithUpstreams : IAsyncLifetime
{
    protected TestUpstream Backend { get; private set; } = null!;

    protected TestUpstream Frontend { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Backend = await TestUpstream.StartAsync("backend-1");
        Frontend = await TestUpstream.StartAsync("frontend-1");
    }

    public virtual async Task DisposeAsync()
    {
        await Backend.DisposeAsync();
        await Frontend.DisposeAsync();
    }
}
