using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Http;

[Collection(BrokerCollection.Name)]
public sealed class BackupEndpointsTests(RabbitMqFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = TempFolder.Create("http");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_403()
    {
        await using var service = Start(s => s["Backup:AllowedNetworks:0"] = "192.0.2.0/24");
        using var client = service.CreateClient();

        using var list = await client.GetAsync("/backups");
        using var start = await client.PostAsync("/backups", null);

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Empty(Directory.GetFiles(_folder.Combine("backups"), "*.tar.gz"));
    }

    [Fact]
    public async Task Start_follow_list_verify_and_restore_over_http()
    {
        await using var service = Start();
        using var client = service.CreateClient();

        using var started = await client.PostAsync("/backups", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await WaitForRunAsync(client, started.Headers.Location!);
        Assert.Equal("completed", run.GetProperty("state").GetString());
        var name = Path.GetFileName(run.GetProperty("archive").GetString()!);

        var list = await client.GetFromJsonAsync<JsonElement>("/backups");
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(name, listed.GetProperty("name").GetString());
        Assert.Equal("verified", listed.GetProperty("verified").GetString());

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("starguide_backup_last_success_timestamp_seconds", metrics);
        Assert.Contains("starguide_backup_size_bytes", metrics);
        Assert.Contains("starguide_backup_duration_seconds_count", metrics);

        using var verify = await client.PostAsync($"/backups/{name}/verify", null);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        var target = _folder.Combine("restored");
        using var restore = await client.PostAsJsonAsync($"/backups/{name}/restore", new { target });
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var sources = _folder.Combine("sources");
        Assert.Equal(TreeSnapshot.Of(sources), TreeSnapshot.Of(Path.Combine(target, sources.TrimStart('/'))));

        using var again = await client.PostAsJsonAsync($"/backups/{name}/restore", new { target });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("is not empty", await again.Content.ReadAsStringAsync());

        using var unknown = await client.PostAsync("/backups/..%2Fetc%2Fpasswd/verify", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Start_while_a_backup_runs_elsewhere_gets_409()
    {
        await using var service = Start();
        using var client = service.CreateClient();
        var destination = _folder.Combine("backups");
        Directory.CreateDirectory(destination);

        using (new FileStream(Path.Combine(destination, BackupFileNames.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var refused = await client.PostAsync("/backups", null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("a backup is already running", await refused.Content.ReadAsStringAsync());
        }
    }

    private BackupServiceFactory Start(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.BackupService),
            ["Backup:Sources:0:Path"] = SampleTree.Create(_folder.Combine("sources")),
            ["Backup:Destination"] = _folder.Combine("backups"),
            ["Backup:Schedule"] = "",
        };
        configure?.Invoke(settings);
        var factory = new BackupServiceFactory(settings);
        factory.StartServer();
        return factory;
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient client, Uri location)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>(location);
            if (run.GetProperty("state").GetString() is "completed" or "failed" || DateTime.UtcNow > deadline)
            {
                return run;
            }
            await Task.Delay(50);
        }
    }
}
