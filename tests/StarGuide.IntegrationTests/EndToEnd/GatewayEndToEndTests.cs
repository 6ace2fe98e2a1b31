using System.Diagnostics;
using System.Net;
using MassTransit;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>The system started by the AppHost, as <c>dotnet run --project src/AppHost</c> starts it.</summary>
public sealed class GatewayEndToEndTests(AppHostFixture system) : IClassFixture<AppHostFixture>
{
    /// <summary>The bound: from a stopped instance to the event and to the gateway routing around it.</summary>
    private static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Request_through_the_gateway_is_answered_by_a_sample_backend()
    {
        using var response = await system.Gateway.GetAsync("/api/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("backend-", InstanceOf(response));
        Assert.Contains("\"path\":\"/api/hello\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Frontend_pool_serves_the_single_page_app_through_the_gateway()
    {
        using var response = await system.Gateway.GetAsync("/some/deep/link");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("frontend-", InstanceOf(response));
        Assert.Contains("<title>StarGuide", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stopped_backend_is_reported_unhealthy_and_gets_no_more_requests()
    {
        var brokerUri = new Uri((await system.App.GetConnectionStringAsync(ResourceNames.RabbitMq))!);
        var unhealthy = new TaskCompletionSource<InstanceUnhealthy>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(brokerUri);
            cfg.ReceiveEndpoint(e => e.Handler<InstanceUnhealthy>(context =>
            {
                if (context.Message.InstanceId == "backend-1")
                {
                    unhealthy.TrySetResult(context.Message);
                }
                return Task.CompletedTask;
            }));
        });
        await observer.StartAsync();
        try
        {
            await system.StopResourceAsync("backend-1");
            var stopwatch = Stopwatch.StartNew();

            var message = await unhealthy.Task.WaitAsync(DetectionBound);
            Assert.Equal(ResourceNames.BackendPool, message.Pool);
            Assert.True(message.ConsecutiveFailures >= 1);

            // The gateway consumes the same event from its own queue; once it has, every request goes to backend-2.
            var served = await TwentyInARowFromOneInstanceAsync(DetectionBound - stopwatch.Elapsed);
            Assert.Equal("backend-2", served);
        }
        finally
        {
            await observer.StopAsync();
        }
    }

    private async Task<string> TwentyInARowFromOneInstanceAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        var streak = 0;
        var last = "";
        while (streak < 20)
        {
            Assert.True(deadline.Elapsed < within,
                $"the gateway still sent requests to the stopped instance {within.TotalSeconds:0.#} s after it stopped (last: {last})");
            // /api/health is not rate limited (the seed's rule), so the loop measures health, not the api zone.
            using var response = await system.Gateway.GetAsync("/api/health");
            var instance = response.IsSuccessStatusCode ? InstanceOf(response) : $"HTTP {(int)response.StatusCode}";
            streak = response.IsSuccessStatusCode && instance == last ? streak + 1 : response.IsSuccessStatusCode ? 1 : 0;
            last = instance;
        }
        return last;
    }

    private static string InstanceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Instance-Id", out var values) ? values.Single() : "(none)";
}
