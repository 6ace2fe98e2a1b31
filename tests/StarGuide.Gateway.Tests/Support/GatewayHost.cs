using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// The gateway in the test process, in front of <see cref="ScriptedUpstream"/>s as the <c>backend</c> pool, on a fake
/// clock (passive health's failure window and YARP's reactivation timer both follow it). The message bus points at a
/// closed port and stays unconnected, which the proxy does not need. In process a request has no TCP peer: each is
/// given 127.0.0.1, as a loopback client of the real gateway has, and the tests' management tokens are configured.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<GatewayAssembly>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
        ["Logging:LogLevel:Default"] = "Warning",
        // In process there is no listener to tell apart: /health, /alive and /metrics on the one client.
        ["Gateway:Management:Port"] = "0",
        // These tests are about the backend pool; limits and the frontend pool have tests of their own.
        ["Gateway:RateLimiting:Enabled"] = "false",
        ["Pools:frontend:Instances:0:Id"] = "frontend-unused",
        ["Pools:frontend:Instances:0:Address"] = "http://127.0.0.1:9",
    };
    private readonly List<Action<IServiceCollection>> _services = [];
    private int _instances;

    public FakeTimeProvider Time { get; } = new();

    public GatewayHost WithInstance(ScriptedUpstream upstream, int weight = 1, bool backup = false)
    {
        var key = $"Pools:backend:Instances:{_instances++}";
        _settings[$"{key}:Id"] = upstream.InstanceId;
        _settings[$"{key}:Address"] = upstream.Address;
        _settings[$"{key}:Weight"] = weight.ToString(CultureInfo.InvariantCulture);
        _settings[$"{key}:Backup"] = backup ? "true" : "false";
        return this;
    }

    public GatewayHost With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    public GatewayHost WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestManagement.Settings.Concat(_settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, LoopbackPeer>();
            services.AddSingleton<TimeProvider>(Time);
            _services.ForEach(configure => configure(services));
        });
    }

    /// <summary>The gateway's <c>/metrics</c> as a loopback client with the read token gets it.</summary>
    public async Task<string> MetricsAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestManagement.ReadToken);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
