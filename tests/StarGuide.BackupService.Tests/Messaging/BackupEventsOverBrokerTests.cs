using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Messaging;

/// <summary>The real service host on a real RabbitMQ: BackupRequested in, BackupCompleted / BackupFailed out.</summary>
/// <remarks>
/// A broker of its own: every backup service host consumes the one <c>backup-requested</c> queue (replicas compete for
/// requests, as they should), so a host of another test whose bus was still stopping on a loaded machine could take
/// this test's request and answer it with its own sources.
/// </remarks>
public sealed class BackupEventsOverBrokerTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = TempFolder.Create("broker");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_request_gives_one_backup_and_BackupCompleted_and_a_missing_source_gives_BackupFailed()
    {
        var sources = SampleTree.Create(_folder.Combine("sources"));
        var destination = _folder.Combine("backups");
        await using var service = new BackupServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.BackupService),
            ["Backup:Sources:0:Path"] = sources,
            ["Backup:Destination"] = destination,
            ["Backup:Schedule"] = "",
        });
        service.StartServer();
        using var client = service.CreateClient();
        await WaitUntilHealthyAsync(client);
        await using var listener = await EventListener.StartAsync(broker.Server.AmqpUri, typeof(BackupCompleted), typeof(BackupFailed));
        // Requests come from an operator's tool, with the broker user trusted for them.
        await using var bus = await PublisherBus.StartAsync(broker.Server, BrokerUsers.Operator);

        var id = Guid.NewGuid();
        // The same request twice, as a redelivery would bring it: one backup, one event.
        await bus.Publish(new BackupRequested(id, "test", DateTimeOffset.UtcNow));
        await bus.Publish(new BackupRequested(id, "test again", DateTimeOffset.UtcNow));
        var completed = await listener.WaitForAsync(nameof(BackupCompleted), id, Patience, () => service.Log.Tail());

        var archive = Assert.Single(BackupCatalog.List(destination));
        Assert.Equal(archive.Path, completed.GetProperty("path").GetString());
        Assert.Equal(new FileInfo(archive.Path).Length, completed.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(64, completed.GetProperty("sha256").GetString()!.Length);
        Assert.Equal(5, completed.GetProperty("fileCount").GetInt32());

        Directory.Delete(sources, recursive: true);
        var failedId = Guid.NewGuid();
        await bus.Publish(new BackupRequested(failedId, "test", DateTimeOffset.UtcNow));
        var failed = await listener.WaitForAsync(nameof(BackupFailed), failedId, Patience, () => service.Log.Tail());

        Assert.Equal($"Backup source '{sources}' does not exist.", failed.GetProperty("reason").GetString());
        Assert.Single(listener.Received(nameof(BackupCompleted), id));
        Assert.Single(BackupCatalog.List(destination));
    }

    private static async Task WaitUntilHealthyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!(await client.GetAsync("/health")).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the service's bus did not become healthy");
            await Task.Delay(100);
        }
    }
}
