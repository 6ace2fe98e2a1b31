namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// A test class whose every test gets a fresh real upstream (the backend pool's only instance) and a gateway in front of
/// it with the class's settings, both stopped after the test whatever its outcome.
/// </summary>
public abstract class WithGateway : IAsyncLifetime
{
    protected ScriptedUpstream Upstream { get; private set; } = null!;

    protected KestrelGateway Gateway { get; private set; } = null!;

    /// <summary>Settings on top of the pools (which <see cref="GatewaySettings.Pools"/> fills with the upstream).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        Upstream = await ScriptedUpstream.StartAsync();
        var settings = GatewaySettings.Pools(Upstream.Address);
        Configure(settings);
        Gateway = KestrelGateway.Start(settings);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
