using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Messaging;

/// <summary>
/// RabbitMQ is down while backups run: the service backs up all the same, and the events of a backup that completed and
/// of one that failed meanwhile are published once the broker is back, in the order they happened. Read off a durable
/// queue of the test's own, bound before the outage, so that nothing but the service's own publishing is tested.
/// </summary>
/// <remarks>A broker of its own: stopping it must not take away the broker of other tests.</remarks>
public sealed class BackupEventsAcrossBrokerOutageTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempFolder _folder = TempFolder.Create("outage");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Events_of_backups_run_while_the_broker_is_down_are_published_when_it_is_back_in_order()
    {
        Skip.IfNot(broker.Server.SupportsOutages,
            $"the broker comes from {broker.Server.Source}; only a broker the tests started can be stopped and started");
        var sources = SampleTree.Create(_folder.Combine("sources"));
        await using var service = new BackupServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.BackupService),
            ["Backup:Sources:0:Path"] = sources,
            ["Backup:Destination"] = _folder.Combine("backups"),
            ["Backup:Schedule"] = "",
        });
        service.StartServer();
        using var client = service.CreateClient().WithManagementToken();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, Patience,
            "the service's bus did not become healthy");
        await using var events = await DurableEventQueue.CreateAsync(broker.Server.AmqpUri, typeof(BackupCompleted), typeof(BackupFailed));

        var outageStarted = DateTimeOffset.UtcNow;
        await broker.Server.StopAsync();
        var completed = await RunBackupAsync(client, "completed");
        Directory.Delete(sources, recursive: true);
        var failed = await RunBackupAsync(client, "failed");
        var outageEnded = DateTimeOffset.UtcNow;
        await broker.Server.StartAgainAsync();

        var received = await events.WaitForAsync(e => e.Count >= 2, Patience,
            "the events of the backups run during the outage did not arrive", () => service.Log.Tail());
        Assert.Equal([(nameof(BackupCompleted), completed), (nameof(BackupFailed), failed)],
            received.Select(e => (e.Type, Guid.Parse(e.Text("backupId")!))));
        Assert.InRange(received[0].Time("completedAt")!.Value, outageStarted, outageEnded);
        Assert.InRange(received[1].Time("failedAt")!.Value, outageStarted, outageEnded);
        Assert.Equal($"Backup source '{sources}' does not exist.", received[1].Text("reason"));
    }

    /// <summary>Starts a backup over HTTP and waits until it is <paramref name="expected"/>; returns its id.</summary>
    private static async Task<Guid> RunBackupAsync(HttpClient client, string expected)
    {
        using var started = await client.PostAsync("/backups", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement run = default;
        await Eventually.TrueAsync(async () =>
        {
            run = await client.GetFromJsonAsync<JsonElement>(started.Headers.Location!);
            return run.GetProperty("state").GetString() is "completed" or "failed";
        }, Patience, "the backup did not end");
        Assert.Equal(expected, run.GetProperty("state").GetString());
        return run.GetProperty("backupId").GetGuid();
    }
}
