using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// The real gateway (its Program.cs) on real Kestrel, on a loopback port of its own so that client addresses are
/// real, configured with the given settings (and the tests' management tokens) on top of appsettings.json; plain HTTP unless the settings turn TLS on.
/// The broker address is unreachable: the bus stays unconnected, which these tests do not need.
/// </summary>
public sealed class KestrelGateway : IAsyncDisposable
{
    private readonly Factory _factory;

    private KestrelGateway(Factory factory, int port, int managementPort)
    {
        _factory = factory;
        Port = port;
        ManagementPort = managementPort;
        Address = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = Address };
        ManagementClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}") }.WithManagementToken(TestManagement.ReadToken);
    }

    /// <summary>The plain-HTTP port (not listened on when TLS is configured).</summary>
    public int Port { get; }

    public Uri Address { get; }

    /// <summary>A default client for <see cref="Address"/> (it decompresses nothing and follows redirects).</summary>
    public HttpClient Client { get; }

    /// <summary>The loopback port of <c>/health</c>, <c>/alive</c> and <c>/metrics</c> (0 when the settings chose none).</summary>
    public int ManagementPort { get; }

    /// <summary>A client for the management port, with the tests' read token (<see cref="TestManagement"/>).</summary>
    public HttpClient ManagementClient { get; }

    public IServiceProvider Services => _factory.Services;

    public static KestrelGateway Start(
        IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var port = FreePort.Next();
        var withManagement = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in TestManagement.Settings)
        {
            withManagement.TryAdd(key, value);
        }
        withManagement.TryAdd("Gateway:Management:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var managementPort = int.Parse(withManagement["Gateway:Management:Port"]!, System.Globalization.CultureInfo.InvariantCulture);
        var factory = new Factory(port, withManagement, configureServices);
        try
        {
            // On the factory itself: a WithWebHostBuilder copy would lose it and start a TestServer.
            factory.UseKestrel();
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            throw;
        }
        return new KestrelGateway(factory, port, managementPort);
    }

    /// <summary>Settings for one backend and one frontend upstream.</summary>
    public static Dictionary<string, string?> Pools(TestUpstream backend, TestUpstream frontend) => new()
    {
        ["Pools:backend:Instances:0:Id"] = backend.InstanceId,
        ["Pools:backend:Instances:0:Address"] = backend.Address.ToString(),
        ["Pools:frontend:Instances:0:Id"] = frontend.InstanceId,
        ["Pools:frontend:Instances:0:Address"] = frontend.Address.ToString(),
    };

    /// <summary>A client for the plain-HTTP port that neither decompresses nor follows redirects.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false })
        {
            BaseAddress = Address,
        };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        ManagementClient.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(
        int port, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
        : WebApplicationFactory<GatewayAssembly>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As deployed: Development would add the developer exception page in front of the gateway's own pipeline.
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/");
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }
        }
    }
}
