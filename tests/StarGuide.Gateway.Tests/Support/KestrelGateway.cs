using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// The gateway on real Kestrel (a loopback port of its own, so client addresses are real), configured with the
/// given settings on top of appsettings.json. Not connected to a broker: these tests do not need one.
/// </summary>
internal sealed class KestrelGateway : IAsyncDisposable
{
    private readonly ConfiguredFactory _factory;

    private KestrelGateway(ConfiguredFactory factory, int port)
    {
        _factory = factory;
        Address = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = Address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public static KestrelGateway Start(IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure = null)
    {
        var port = FreePort.Next();
        // UseKestrel on the factory itself: a WithWebHostBuilder copy would lose it and start a TestServer.
        var factory = new ConfiguredFactory(settings, configure);
        factory.UseKestrel(port);
        try
        {
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            throw;
        }
        return new KestrelGateway(factory, port);
    }

    /// <summary>Settings for one backend and one frontend upstream.</summary>
    public static Dictionary<string, string?> Pools(TestUpstream backend, TestUpstream frontend) => new()
    {
        ["Pools:backend:Instances:0:Id"] = backend.InstanceId,
        ["Pools:backend:Instances:0:Address"] = backend.Address.ToString(),
        ["Pools:frontend:Instances:0:Id"] = frontend.InstanceId,
        ["Pools:frontend:Instances:0:Address"] = frontend.Address.ToString(),
    };

    private sealed class ConfiguredFactory(IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure)
        : WebApplicationFactory<GatewayAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            configure?.Invoke(builder);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
