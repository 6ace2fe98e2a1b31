using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.PassiveHealth;

/// <summary>The <c>Gateway:PassiveHealth</c> section as the gateway reads it at start.</summary>
public class PassiveHealthSectionTests
{
    [Fact]
    public void The_gateway_reads_its_failure_status_codes_from_the_section()
    {
        using var gateway = Gateway()
            .With("Gateway:PassiveHealth:FailureStatusCodes:0", "502")
            .With("Gateway:PassiveHealth:FailureStatusCodes:1", "503");

        var options = gateway.Services.GetRequiredService<IOptionsMonitor<PassiveHealthOptions>>().CurrentValue;

        Assert.Equal([502, 503], options.FailureStatusCodes);
    }

    [Fact]
    public void A_bad_failure_status_code_stops_the_gateway_at_start_naming_the_key()
    {
        using var gateway = Gateway().With("Gateway:PassiveHealth:FailureStatusCodes:0", "200");

        var error = Assert.Throws<OptionsValidationException>(() => gateway.Services);

        Assert.Contains("Gateway:PassiveHealth:FailureStatusCodes:0 must be an error status (400-599); it is 200.", error.Message);
    }

    private static GatewayHost Gateway() => new GatewayHost()
        .With("Pools:backend:Instances:0:Id", "backend-1")
        .With("Pools:backend:Instances:0:Address", "http://127.0.0.1:9");
}
