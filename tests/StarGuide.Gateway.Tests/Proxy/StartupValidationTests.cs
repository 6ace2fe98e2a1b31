using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Tests.Proxy;

/// <summary>A bad setting stops the gateway at start with a message that names the key.</summary>
public class StartupValidationTests
{
    private const string Broker = "amqp://guest:guest@127.0.0.1:1/";

    [Theory]
    [InlineData("Pools:backend:Instances:0:Address", "not-a-uri", "Pools:backend:Instances:0:Address must be an absolute http")]
    [InlineData("Pools:backend:Instances:0:Address", "ftp://10.0.0.1/", "Pools:backend:Instances:0:Address must be an absolute http")]
    [InlineData("Pools:backend:Instances:0:Weight", "0", "Pools:backend:Instances:0:Weight must be between 1 and 100")]
    [InlineData("Pools:backend:Instances:0:Id", "", "Pools:backend:Instances:0:Id is required")]
    [InlineData("Pools:backend:HealthPath", "health", "Pools:backend:HealthPath must start with '/'")]
    public void Bad_pool_setting_names_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = Broker,
            ["Pools:backend:Instances:0:Id"] = "backend-1",
            ["Pools:backend:Instances:0:Address"] = "http://127.0.0.1:8001",
            [key] = value,
        };

        var error = Assert.Throws<OptionsValidationException>(() => Start(settings));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Duplicate_instance_ids_in_a_pool_are_refused()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = Broker,
            ["Pools:backend:Instances:0:Id"] = "backend-1",
            ["Pools:backend:Instances:0:Address"] = "http://127.0.0.1:8001",
            ["Pools:backend:Instances:1:Id"] = "BACKEND-1",
            ["Pools:backend:Instances:1:Address"] = "http://127.0.0.1:8002",
        };

        var error = Assert.Throws<OptionsValidationException>(() => Start(settings));

        Assert.Contains("Pools:backend:Instances:1:Id 'BACKEND-1' is used twice", error.Message);
    }

    [Theory]
    [InlineData(null, "ConnectionStrings:rabbitmq is not set")]
    [InlineData("localhost:5672", "must be an amqp:// or amqps:// URI")]
    [InlineData("http://admin:s3cret@broker:5672/", "must be an amqp:// or amqps:// URI")]
    public void Broker_connection_string_is_checked_and_its_password_never_printed(string? value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = value };

        var error = Assert.Throws<InvalidOperationException>(() => Start(settings));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public async Task Unreachable_broker_does_not_stop_the_gateway_it_makes_it_not_ready()
    {
        using var factory = Start(new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = Broker });
        using var client = factory.CreateClient();

        using var alive = await client.GetAsync("/alive");
        using var ready = await client.GetAsync("/health");

        Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private static WebApplicationFactory<GatewayAssembly> Start(Dictionary<string, string?> settings)
    {
        var factory = new WebApplicationFactory<GatewayAssembly>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        try
        {
            _ = factory.Services;
            return factory;
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }
}
