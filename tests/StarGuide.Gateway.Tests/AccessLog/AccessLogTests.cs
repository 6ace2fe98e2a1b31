using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StarGuide.Gateway.AccessLog;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.AccessLog;

public sealed class AccessLogTests : WithUpstreams
{
    [Fact]
    public async Task Each_proxied_request_logs_the_seeds_fields_with_upstream_timings_and_health_checks_are_not_logged()
    {
        var log = new CapturingLoggerProvider(typeof(AccessLogMiddleware).FullName!);
        var settings = KestrelGateway.Pools(Backend, Frontend);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        await using var gateway = KestrelGateway.Start(settings,
            b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(log)));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stars?near=sol");
        request.Headers.Add("User-Agent", "probe/1.0");
        request.Headers.Add("Referer", "http://example.test/");
        (await gateway.Client.SendAsync(request)).Dispose();
        (await gateway.Client.GetAsync("/api/stars")).Dispose();
        (await gateway.Client.GetAsync("/api/health")).Dispose();
        (await gateway.Client.GetAsync("/health")).Dispose();

        var lines = log.Messages.ToList();
        Assert.Equal(2, lines.Count);
        Assert.Matches(
            "^127\\.0\\.0\\.1 \"GET /api/stars\\?near=sol HTTP/1\\.1\" 200 \\S+ \"http://example\\.test/\" \"probe/1\\.0\" " +
            "rt=\\d+\\.\\d{3} uct=\"\\d+\\.\\d{3}\" uht=\"\\d+\\.\\d{3}\" urt=\"\\d+\\.\\d{3}\" upstream=http://127\\.0\\.0\\.1:\\d+/?$",
            lines[0]);
        // The second request reuses the kept-alive upstream connection: no connect time.
        Assert.Contains("uct=\"0.000\"", lines[1]);
    }
}
