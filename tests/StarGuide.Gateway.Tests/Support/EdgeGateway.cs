using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// The real gateway (its Program.cs) on real Kestrel, plain HTTP on a free loopback port unless the settings turn TLS
/// on. The broker address is unreachable: the bus stays unconnected, which the tests here do not need.
/// </summary>
public sealed class EdgeGateway : IAsyncDisposable
{
    private readonly Factory _factory;

    private EdgeGateway(Factory factory, int port)
    {
        _factory = factory;
        Port = port;
    }

    /// <summary>The plain-HTTP port given as the URL (not listened on when TLS is configured).</summary>
    public int Port { get; }

    public IServiceProvider Services => _factory.Services;

    public static EdgeGateway Start(
        IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var port = FreePort.Next();
        var factory = new Factory(port, settings, configureServices);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            throw;
        }
        return new EdgeGateway(factory, port);
    }

    /// <summary>A client for the plain-HTTP port that neither decompresses nor follows redirects.</summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
        };

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

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
