using System.Net;
using System.Net.Http.Json;
using MassTransit;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing;

/// <summary>
/// An operator scales a pool over HTTP: the size changes, <c>ScaleRequested</c> names the operator by the token it
/// authenticated with (not the name its body claims), a floor holds.
/// </summary>
public sealed class OperatorScaleTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task Post_scale_changes_the_size_publishes_who_asked_and_a_floor_holds_until_cleared()
    {
        await using var system = new HealingSystem(infrastructure, instances: 1);
        await system.StartAsync();
        await system.WaitForReadyAsync(1, TimeSpan.FromSeconds(60));
        var requested = new TaskCompletionSource<ScaleRequested>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(infrastructure.RabbitMq.AmqpUri);
            cfg.ReceiveEndpoint(e => e.Handler<ScaleRequested>(context =>
            {
                if (context.Message.RequestedBy.StartsWith(TestManagement.OperatorName + "@", StringComparison.Ordinal))
                {
                    requested.TrySetResult(context.Message);
                }
                return Task.CompletedTask;
            }));
        });
        await observer.StartAsync();
        try
        {
            var scaler = system.Scaler.Client;
            using (var up = await scaler.PostAsJsonAsync("/pools/backend/scale", new { desired = 2, by = "alice" }))
            {
                Assert.Equal(HttpStatusCode.Accepted, up.StatusCode);
            }
            var message = await requested.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(TestManagement.OperatorName + "@127.0.0.1", message.RequestedBy); // "by" in the body is not believed
            Assert.Equal(2, message.DesiredInstances);
            Assert.Equal("backend", message.Pool);
            await system.WaitForReadyAsync(2, TimeSpan.FromSeconds(60));

            // A floor of 2 holds: asking for 1 leaves 2.
            (await scaler.PostAsJsonAsync("/pools/backend/scale", new { floor = 2 })).EnsureSuccessStatusCode();
            (await scaler.PostAsJsonAsync("/pools/backend/scale", new { desired = 1 })).EnsureSuccessStatusCode();
            var held = await system.Scaler.PoolAsync(HealingSystem.Pool);
            Assert.Equal(2, held!.Desired);
            Assert.Equal(2, held.Floor);

            (await scaler.PostAsJsonAsync("/pools/backend/scale", new { clear = true, desired = 1 })).EnsureSuccessStatusCode();
            var cleared = await system.WaitForReadyAsync(1, TimeSpan.FromSeconds(60));
            Assert.Null(cleared.Floor);

            using var outOfRange = await scaler.PostAsJsonAsync("/pools/backend/scale", new { desired = 50 });
            Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
            Assert.Contains("MaxInstances (5)", await outOfRange.Content.ReadAsStringAsync());
            using var unknown = await scaler.PostAsJsonAsync("/pools/nope/scale", new { desired = 1 });
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            await observer.StopAsync();
        }
    }
}
