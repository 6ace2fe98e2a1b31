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
    public async Task A_client_outside_the_allowed_networks_gets_403_whatever_its_token()
    {
        // The service listens on 127.0.0.1; only 127.0.0.2 may use it.
        await using var service = Start(s => s["Management:AllowedNetworks:0"] = "127.0.0.2/32");
        using var client = service.CreateClient().WithManagementToken();

        using var list = await client.GetAsync("/backups");
        using var start = await client.PostAsync("/backups", null);
        using var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Contains("Management:AllowedNetworks", await start.Content.ReadAsStringAsync());
        Assert.Empty(Backups());
    }

    [Fact]
    public async Task From_an_allowed_network_without_a_token_401_with_a_read_token_only_reading()
    {
        await using var service = Start(s => s["Management:AllowedNetworks:0"] = "127.0.0.1/32");
        using var anonymous = service.CreateClient();
        using var wrong = service.CreateClient().WithManagementToken("not-a-token-of-this-service-0000");
        using var viewer = service.CreateClient().WithManagementToken(TestManagement.ReadToken);
        var restoreTarget = _folder.Combine("restored-by-viewer");

        using var anonymousList = await anonymous.GetAsync("/backups");
        using var anonymousStart = await anonymous.PostAsync("/backups", null);
        using var anonymousMetrics = await anonymous.GetAsync("/metrics");
        using var wrongStart = await wrong.PostAsync("/backups", null);
        using var viewerList = await viewer.GetAsync("/backups");
        using var viewerMetrics = await viewer.GetAsync("/metrics");
        using var viewerStart = await viewer.PostAsync("/backups", null);
        using var viewerRestore = await viewer.PostAsJsonAsync("/backups/starguide-20260101T000000Z.tar.gz/restore", new { target = restoreTarget });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousList.StatusCode);
        Assert.Equal("Bearer realm=\"StarGuide management\"", anonymousList.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStart.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStart.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerStart.StatusCode);
        Assert.Contains("'viewer' may read, not operate", await viewerStart.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, viewerRestore.StatusCode);
        Assert.Empty(Backups());
        Assert.False(Directory.Exists(restoreTarget));
    }

    [Fact]
    public async Task A_request_naming_another_host_is_refused_even_with_a_token()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/backups");
        request.Headers.Host = "attacker.example"; // a DNS-rebinding page in an operator's browser

        using var refused = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Management:AllowedHosts", await refused.Content.ReadAsStringAsync());
        Assert.Empty(Backups());
    }

    [Fact]
    public async Task Start_follow_list_verify_and_restore_over_http()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();

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

        using var restore = await client.PostAsJsonAsync($"/backups/{name}/restore", new { target = "restored" });
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        var sources = _folder.Combine("sources");
        var target = _folder.Combine("restores", "restored");
        Assert.Equal(TreeSnapshot.Of(sources), TreeSnapshot.Of(Path.Combine(target, sources.TrimStart('/'))));

        using var again = await client.PostAsJsonAsync($"/backups/{name}/restore", new { target = "restored" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("is not empty", await again.Content.ReadAsStringAsync());

        using var unknown = await client.PostAsync("/backups/..%2Fetc%2Fpasswd/verify", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Start_while_a_backup_runs_elsewhere_gets_409()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        var destination = _folder.Combine("backups");
        Directory.CreateDirectory(destination);

        using (new FileStream(Path.Combine(destination, BackupFileNames.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var refused = await client.PostAsync("/backups", null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("a backup is already running", await refused.Content.ReadAsStringAsync());
        }
    }

    private string[] Backups() =>
        Directory.Exists(_folder.Combine("backups")) ? Directory.GetFiles(_folder.Combine("backups"), "*.tar.gz") : [];

    private BackupServiceFactory Start(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.BackupService),
            ["Backup:Sources:0:Path"] = SampleTree.Create(_folder.Combine("sources")),
            ["Backup:Destination"] = _folder.Combine("backups"),
            ["Backup:Schedule"] = "",
            ["Backup:Restore:Root"] = _folder.Combine("restores"),
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
