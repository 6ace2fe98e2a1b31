using System.Net.Sockets;
using System.Text;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.AccessLog;

public sealed class AccessLogTests : WithUpstreams
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("starguide-access-log-");

    private string LogPath => Path.Combine(_folder.FullName, "access.log");

    [Fact]
    public async Task Each_proxied_request_logs_the_seeds_fields_with_upstream_timings_and_health_checks_are_not_logged()
    {
        await using var gateway = StartGateway();

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stars?near=sol");
        request.Headers.Add("User-Agent", "probe/1.0");
        request.Headers.Add("Referer", "http://example.test/");
        (await gateway.Client.SendAsync(request)).Dispose();
        (await gateway.Client.GetAsync("/api/stars")).Dispose();
        (await gateway.Client.GetAsync("/api/health")).Dispose();
        (await gateway.ManagementClient.GetAsync("/health")).Dispose();
        (await gateway.Client.GetAsync("/api/last")).Dispose();

        var lines = await ReadLinesAsync(count: 3);
        Assert.Matches(
            "^127\\.0\\.0\\.1 \"GET /api/stars\\?near=sol HTTP/1\\.1\" 200 \\S+ \"http://example\\.test/\" \"probe/1\\.0\" " +
            "rt=\\d+\\.\\d{3} uct=\"\\d+\\.\\d{3}\" uht=\"\\d+\\.\\d{3}\" urt=\"\\d+\\.\\d{3}\" upstream=http://127\\.0\\.0\\.1:\\d+/?$",
            lines[0]);
        // The second request reuses the kept-alive upstream connection: no connect time.
        Assert.Contains("uct=\"0.000\"", lines[1]);
        // Neither /api/health (AccessLog: false) nor the gateway's own /health was logged.
        Assert.Contains("/api/last", lines[2]);
        Assert.True(lines.Count == 3, "expected 3 lines:\n" + string.Join('\n', lines));
    }

    [Fact]
    public async Task Client_supplied_text_is_escaped_so_that_a_request_cannot_forge_or_break_a_line()
    {
        await using var gateway = StartGateway();
        // Raw bytes: a quote and a backslash in the user agent, a quote in the referer, and a
        // percent-encoded line break in the target, which is logged as sent (not decoded).
        var raw = "GET /api/x%0A127.0.0.9 HTTP/1.1\r\nHost: gw\r\nUser-Agent: a\"b\\c\r\nReferer: r\"x\r\nConnection: close\r\n\r\n";
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(gateway.Address.Host, gateway.Address.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
            var response = await new StreamReader(stream, Encoding.Latin1).ReadToEndAsync();
            Assert.StartsWith("HTTP/1.1 200", response);
        }

        var line = Assert.Single(await ReadLinesAsync(count: 1));
        Assert.StartsWith("127.0.0.1 \"GET /api/x%0A127.0.0.9 HTTP/1.1\" 200 ", line);
        Assert.Contains(" \"r\\x22x\" \"a\\x22b\\x5Cc\" rt=", line);
    }

    [Fact]
    public async Task The_log_file_is_appended_to_and_not_truncated_by_a_restart()
    {
        await File.WriteAllTextAsync(LogPath, "earlier line\n");
        await using (var gateway = StartGateway())
        {
            (await gateway.Client.GetAsync("/api/one")).Dispose();
            await ReadLinesAsync(count: 2);
        }

        var lines = await File.ReadAllLinesAsync(LogPath);
        Assert.Equal("earlier line", lines[0]);
        Assert.Contains("/api/one", lines[1]);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private KestrelGateway StartGateway()
    {
        var settings = KestrelGateway.Pools(Backend, Frontend);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        settings["Gateway:AccessLog:Path"] = LogPath;
        return KestrelGateway.Start(settings);
    }

    // Lines are written in batches off the request path: wait until the expected number has arrived.
    private async Task<List<string>> ReadLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(LogPath)
                ? (await ReadSharedAsync(LogPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList()
                : [];
            if (lines.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(lines.Count >= count, $"expected {count} access log lines, got:\n{string.Join('\n', lines)}");
                // A moment more, so that an unexpected extra line would show up too.
                await Task.Delay(200);
                return [.. (await ReadSharedAsync(LogPath)).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
            }
            await Task.Delay(50);
        }
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await new StreamReader(stream).ReadToEndAsync();
    }
}
