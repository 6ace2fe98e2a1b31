using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.Gateway.Tests.PassiveHealth;

/// <summary>Passive health settings: defaults, and a bad value rejected with a message that names its key.</summary>
public class PassiveHealthSettingsTests
{
    [Fact]
    public void Defaults_are_nginx_max_fails_3_fail_timeout_30s()
    {
        var pool = Bind([]);

        Assert.Equal(3, pool.MaxFails);
        Assert.Equal(TimeSpan.FromSeconds(30), pool.FailTimeout);
    }

    [Theory]
    [InlineData("Pools:backend:MaxFails", "-1", "Pools:backend:MaxFails must be between 0 and 1000; it is -1.")]
    [InlineData("Pools:backend:FailTimeout", "00:00:00", "Pools:backend:FailTimeout must be more than 0")]
    [InlineData("Pools:backend:FailTimeout", "02:00:00", "Pools:backend:FailTimeout must be more than 0 and at most 01:00:00")]
    public void Bad_pool_setting_is_rejected_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Failure_status_code_outside_400_599_is_rejected_naming_the_key()
    {
        var result = new PassiveHealthOptionsValidator().Validate(null, new PassiveHealthOptions { FailureStatusCodes = [503, 200] });

        Assert.Contains("Gateway:PassiveHealth:FailureStatusCodes:1 must be an error status (400-599); it is 200.", result.FailureMessage);
    }

    [Fact]
    public void MaxFails_0_turns_passive_health_off_for_the_pool()
    {
        Assert.False(PoolPassiveHealth.Config(new GatewayPoolOptions { MaxFails = 0 }).Enabled);
        Assert.True(PoolPassiveHealth.Config(new GatewayPoolOptions()).Enabled);
    }

    private static GatewayPoolOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Pools:backend:Instances:0:Id"] = "a",
            ["Pools:backend:Instances:0:Address"] = "http://127.0.0.1:8001",
        });
        builder.AddPoolsOptions();
        builder.Services.AddValidatedOptions<GatewayPoolsOptions, GatewayPoolsOptionsValidator>(GatewayPoolsOptions.SectionName);
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<IOptions<PoolsOptions>>().Value;
        return host.Services.GetRequiredService<IOptions<GatewayPoolsOptions>>().Value.For("backend");
    }
}
