using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary><c>POST /backups/{name}/restore</c> on the service hosted on a real Kestrel socket.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RestoreOverHttpTests(RabbitMqFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = TempFolder.Create("http-restore");

    public void Dispose() => _folder.Dispose();

    private string Destination => _folder.Combine("backups");

    private string Root => _folder.Combine("restores");

    private string Victim => _folder.Combine("victim");

    [Fact]
    public async Task Without_a_restore_root_http_restore_is_refused_naming_the_key()
    {
        await using var service = Start(withRoot: false);
        using var client = service.CreateClient().WithManagementToken();
        var archive = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("ok.txt"));

        using var response = await RestoreAsync(client, archive, Victim);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("restore over HTTP is off: set Backup:Restore:Root", await response.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Victim));
    }

    [Theory]
    [InlineData("{victim}", "is outside Backup:Restore:Root")]
    [InlineData("../victim", "contains '..'")]
    [InlineData("inside/../../victim", "contains '..'")]
    [InlineData("{root}/../victim", "contains '..'")]
    [InlineData(".", "not the root itself")]
    [InlineData("{root}", "not the root itself")]
    [InlineData(" ", "target is required")]
    public async Task A_target_outside_the_root_is_refused_and_nothing_is_written(string requested, string problem)
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        var archive = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("ok.txt"));

        using var response = await RestoreAsync(client, archive, requested.Replace("{victim}", Victim).Replace("{root}", Root));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Victim));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }

    [Theory]
    [InlineData("link/restored")]
    [InlineData("link")]
    public async Task A_target_reached_through_a_link_inside_the_root_is_refused(string requested)
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        Directory.CreateDirectory(Victim);
        File.CreateSymbolicLink(Path.Combine(Root, "link"), Victim);
        var archive = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("ok.txt"));

        using var response = await RestoreAsync(client, archive, requested);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains($"'{Path.Combine(Root, "link")}' is a symbolic link", await response.Content.ReadAsStringAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Victim));
    }

    [Fact]
    public async Task A_restore_lands_inside_the_root_and_never_keeps_special_bits()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        var archive = await CraftedArchive.WriteAsync(Destination,
            CraftedArchive.File("tool", "#!/bin/sh\n", (UnixFileMode)Convert.ToInt32("6755", 8)));

        using var relative = await RestoreAsync(client, archive, "2026-11-30/app");
        using var absolute = await RestoreAsync(client, archive, Path.Combine(Root, "absolute"));

        Assert.Equal(HttpStatusCode.OK, relative.StatusCode);
        Assert.Equal(HttpStatusCode.OK, absolute.StatusCode);
        foreach (var tool in new[] { Path.Combine(Root, "2026-11-30", "app", "tool"), Path.Combine(Root, "absolute", "tool") })
        {
            Assert.Equal("755", Convert.ToString((int)File.GetUnixFileMode(tool), 8));
        }
    }

    [Fact]
    public async Task Limits_are_read_from_configuration_and_named_when_exceeded()
    {
        await using var service = Start(configure: s => s["Backup:Restore:MaxEntries"] = "2");
        using var client = service.CreateClient().WithManagementToken();
        var archive = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("a"), CraftedArchive.File("b"), CraftedArchive.File("c"));

        using var response = await RestoreAsync(client, archive, "three");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("the archive holds 3 entries, more than Backup:Restore:MaxEntries allows (2)", await response.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Path.Combine(Root, "three")));
    }

    [Fact]
    public async Task Two_restores_at_once_the_second_gets_409()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        var good = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("ok.txt"));
        // An "archive" that is a fifo, with sidecars that pass: the first restore reads it, and so holds the restore
        // lock, until the test closes its end.
        var slow = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("slow.txt"));
        File.Delete(slow);
        MakeFifo(slow);

        var first = RestoreAsync(client, slow, "first");
        await using (var fifo = await OpenForWritingAsync(slow))
        {
            // Open for writing returns once the restore opened the fifo to read it: it is running.
            using var second = await RestoreAsync(client, good, "second");

            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("a restore is already running", await second.Content.ReadAsStringAsync());
        }
        using (var firstResponse = await first.WaitAsync(Patience))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, firstResponse.StatusCode);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        using var after = await RestoreAsync(client, good, "second");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_restore_running_in_another_replica_gets_409()
    {
        await using var service = Start();
        using var client = service.CreateClient().WithManagementToken();
        var archive = await CraftedArchive.WriteAsync(Destination, CraftedArchive.File("ok.txt"));

        using (new FileStream(Path.Combine(Destination, BackupFileNames.RestoreLockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var refused = await RestoreAsync(client, archive, "elsewhere");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }

    private BackupServiceFactory Start(bool withRoot = true, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionString,
            ["Backup:Sources:0:Path"] = SampleTree.Create(_folder.Combine("sources")),
            ["Backup:Destination"] = Destination,
            ["Backup:Schedule"] = "",
        };
        if (withRoot)
        {
            settings["Backup:Restore:Root"] = Root;
        }
        configure?.Invoke(settings);
        var factory = new BackupServiceFactory(settings);
        factory.StartServer();
        return factory;
    }

    private static Task<HttpResponseMessage> RestoreAsync(HttpClient client, string archive, string target) =>
        client.PostAsJsonAsync($"/backups/{Path.GetFileName(archive)}/restore", new { target });

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private static async Task<FileStream> OpenForWritingAsync(string fifo) =>
        await Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write)).WaitAsync(Patience);
}
