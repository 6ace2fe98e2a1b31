using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Messaging;

/// <summary>The bus every service shares (ServiceDefaults' <c>AddMessageBus</c>) talks to its broker and nobody else.</summary>
public sealed class BusTelemetryTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task MassTransit_usage_telemetry_is_off()
    {
        await using var upstream = await TestUpstream.StartAsync("a");
        var settings = KestrelGateway.Pools(upstream, upstream);
        settings["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.Gateway);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        await using var gateway = KestrelGateway.Start(settings);

        Assert.False(gateway.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled,
            "MassTransit would send usage reports to its vendor");
    }
}
