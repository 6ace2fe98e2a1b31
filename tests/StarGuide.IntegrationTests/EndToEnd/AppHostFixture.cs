using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system as a user runs it: the AppHost with RabbitMQ, Redis, every service and the sample instances,
/// with the gateway on a free port. Disposing stops every process the AppHost started.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public HttpClient Gateway { get; private set; } = new();

    public async Task InitializeAsync()
    {
        var gatewayPort = FreePort.Next();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.StarGuide_AppHost>(
            [$"--StarGuide:GatewayPort={gatewayPort}"]);
        _app = await builder.BuildAsync();

        using var timeout = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(timeout.Token);
        foreach (var resource in new[] { ResourceNames.Gateway, ResourceNames.HealthMonitor, "backend-1", "backend-2" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
        Gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public Task StopResourceAsync(string name) =>
        App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(name, KnownResourceCommands.StopCommand);
}
