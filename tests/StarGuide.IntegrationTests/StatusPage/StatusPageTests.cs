using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.IntegrationTests.StatusPage.Support;
using StarGuide.IntegrationTests.Support;
using StarGuide.Scaler;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.StatusPage;

/// <summary>
/// The scaler's status page in a real browser (Debian's headless Chromium), on the real control plane: the scaler as a
/// process with a pool of real instances, the health monitor and gateway, RabbitMQ and Redis.
/// </summary>
public sealed class StatusPageTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IClassFixture<InfrastructureFixture>
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// "Within seconds": a kill -9 must be on the page this soon (the scaler learns of it at once; 1-2 s measured, printed
    /// by the test). Room for a CI machine whose load average is 20-50.
    /// </summary>
    private static readonly TimeSpan ShownBound = TimeSpan.FromSeconds(30);

    /// <summary>Where screenshots go: STARGUIDE_SCREENSHOTS (docs/images to refresh the docs), else the test output folder.</summary>
    private static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("STARGUIDE_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task The_page_shows_pools_instances_in_flight_and_backups_and_a_kill_9_within_seconds()
    {
        await using var system = new HealingSystem(infrastructure, instances: 2);
        await system.StartAsync();
        var before = await system.WaitForReadyAsync(2, StartBound);
        await system.WaitForGatewayToServeAsync(before.Members.Select(m => m.InstanceId), StartBound);
        using var browser = HeadlessChromium.Start(height: 1250);
        // As an operator signs in: the page sends the browser to its form, which takes the read token.
        browser.Driver.Navigate().GoToUrl(new Uri(system.Scaler.Address, "/status"));
        Assert.EndsWith("/status/login", browser.Driver.Url, StringComparison.Ordinal);
        browser.Driver.FindElement(OpenQA.Selenium.By.Id("token")).SendKeys(TestManagement.ReadToken);
        browser.Driver.FindElement(OpenQA.Selenium.By.CssSelector("form.login button")).Click();

        // No problem shown once it has settled (a slow first Redis answer may show one for a moment).
        var shown = await WaitForAsync(browser, system, v => v.Connection == "live" && v.Problems.Count == 0
            && before.Members.All(m => v.Instances.Any(i => i.Pool == HealingSystem.Pool && i.Id == m.InstanceId && i.State == "Ready")),
            StartBound, "both ready instances and no problem");
        Assert.All(before.Members, m => Assert.Contains(shown.Instances, i => i.Id == m.InstanceId && i.Address.EndsWith($":{m.Address.Port}", StringComparison.Ordinal)));

        // Slow requests through the gateway: the gateway reports them in flight to Redis, the page shows them per instance.
        var slow = LoadRun.Start(system.Client, workers: 4, path: i => $"/api/ai/slow?delayMs=2000&n={i}");
        try
        {
            await WaitForAsync(browser, system, v => v.Instances.Sum(i => int.TryParse(i.InFlight, out var n) ? n : 0) > 0,
                ShownBound, "requests in flight");

            await using (var bus = await TestBus.StartAsync(infrastructure.RabbitMq, ResourceNames.BackupService))
            {
                await bus.PublishAsync(new BackupCompleted(Guid.NewGuid(), "/var/backups/starguide/backup-20261129-0300.tar.gz", 48_213_504,
                    "9f2c4b1e0a7d3c5e8b6f4a2d1c0e9b8a7f6e5d4c3b2a19081716151413121110", 1_284, TimeSpan.FromSeconds(3.4), DateTimeOffset.UtcNow));
                await bus.PublishAsync(new BackupFailed(Guid.NewGuid(),
                    "Verification failed: backup-20261128-0300.tar.gz does not match its manifest (app/data.db: SHA-256 differs)", DateTimeOffset.UtcNow));
            }
            var backups = await WaitForAsync(browser, system, v => v.Backups.Count == 2, ShownBound, "the two backups");
            Assert.Contains(backups.Backups, b => b.Verified && b.Text.Contains("verified", StringComparison.Ordinal));
            Assert.Contains(backups.Backups, b => !b.Verified && b.Text.Contains("does not match its manifest", StringComparison.Ordinal));

            // An operator's scaling decision, with who made it and why.
            using (var scale = await system.Scaler.Client.PostAsJsonAsync($"/pools/{HealingSystem.Pool}/scale", new { desired = 3 }))
            {
                Assert.Equal(HttpStatusCode.Accepted, scale.StatusCode);
            }
            var scaled = await WaitForAsync(browser, system, v => v.Instances.Count(i => i.State == "Ready") == 3
                && v.Events.Any(e => e.Kind == "scale" && e.Text.Contains($"desired 2 → 3 by {TestManagement.OperatorName}@127.0.0.1: operator", StringComparison.Ordinal)),
                StartBound, "the operator's scale-up to 3 ready instances");

            var victim = before.Members[0];
            var clock = Stopwatch.StartNew();
            Signals.Send(int.Parse(victim.Handle, System.Globalization.CultureInfo.InvariantCulture), Signals.Kill);
            var afterKill = await WaitForAsync(browser, system, v =>
                    v.Instances.All(i => i.Id != victim.InstanceId || i.State != "Ready")
                    && v.Events.Any(e => e.Kind == "failover" && e.Instance == victim.InstanceId && e.Text.Contains("exited", StringComparison.Ordinal)),
                ShownBound, $"the kill -9 of {victim.InstanceId} (out of the ready instances, a failover listed)");
            var shownAfter = clock.Elapsed;

            var healed = await WaitForAsync(browser, system, v =>
                v.Instances.Count(i => i.State == "Ready") == 3 && v.Instances.All(i => i.Id != victim.InstanceId), StartBound, "a ready replacement");
            var replacedAfter = clock.Elapsed;
            var replacement = healed.Instances.Single(i => scaled.Instances.All(s => s.Id != i.Id));
            Assert.Contains(healed.Events, e => e.Instance == replacement.Id && e.Text.Contains("as a replacement", StringComparison.Ordinal));
            output.WriteLine($"kill -9 of {victim.InstanceId}: on the page after {shownAfter.TotalSeconds:0.00} s ({afterKill}); "
                + $"replacement {replacement.Id} ready on the page after {replacedAfter.TotalSeconds:0.00} s");

            // Some requests in flight again for the picture, then the same page as a phone shows it.
            await WaitForAsync(browser, system, v => v.Instances.Sum(i => int.TryParse(i.InFlight, out var n) ? n : 0) > 0,
                ShownBound, "requests in flight after the failover");
            browser.SaveScreenshot(Path.Combine(ScreenshotFolder, "status-page.png"));
            browser.EmulatePhone();
            await Task.Delay(1500);
            var (scrollWidth, innerWidth) = Widths(browser);
            browser.SaveScreenshot(Path.Combine(ScreenshotFolder, "status-page-phone.png"));
            output.WriteLine($"screenshots in {ScreenshotFolder}; as a phone the page is {scrollWidth} px wide in a {innerWidth} px viewport");
            Assert.Equal(390, innerWidth);
            Assert.True(scrollWidth <= innerWidth, $"on a phone the page scrolls sideways: {scrollWidth} px in a {innerWidth} px viewport");
        }
        finally
        {
            await slow.StopAsync();
        }

        // An open page's stream must not hold a stopping scaler (Kestrel would wait for it until the host's 30 s shutdown timeout).
        var stopped = await system.Scaler.TerminateAsync(TimeSpan.FromSeconds(15));
        await WaitForAsync(browser, system, v => v.Stale && v.Problems.Any(p => p.Dependency == "scaler"), ShownBound, "the stopped scaler");
        output.WriteLine($"with the page open, the scaler stopped {stopped.TotalSeconds:0.00} s after SIGTERM");
    }

    [SkippableFact]
    public async Task The_page_says_so_when_the_scaler_cannot_reach_Redis_or_RabbitMQ_and_when_the_scaler_is_gone()
    {
        Need.OwnServers.Check(infrastructure.Redis.SupportsOutages && infrastructure.RabbitMq.SupportsOutages,
            $"Redis comes from {infrastructure.Redis.Source} and RabbitMQ from {infrastructure.RabbitMq.Source}; only servers the tests started can be stopped");
        await using var system = new HealingSystem(infrastructure, instances: 1);
        await system.StartAsync();
        await system.WaitForReadyAsync(1, StartBound);
        using var browser = HeadlessChromium.Start();
        // The link the AppHost prints: the token once in the URL, then a cookie.
        browser.Driver.Navigate().GoToUrl(new Uri(system.Scaler.Address, $"/status?token={TestManagement.ReadToken}"));
        await WaitForAsync(browser, system, v => v.Connection == "live" && v.Instances.Count == 1 && v.Problems.Count == 0, StartBound, "a healthy page");

        var clock = Stopwatch.StartNew();
        await infrastructure.Redis.StopAsync();
        var redisDown = await WaitForAsync(browser, system, v => v.Problems.Any(p => p.Dependency == "redis"), ShownBound, "the Redis outage");
        var redisShown = clock.Elapsed;
        Assert.Contains("Redis", redisDown.Problems.Single(p => p.Dependency == "redis").Text, StringComparison.Ordinal);
        Assert.All(redisDown.Instances, i => Assert.Equal("?", i.InFlight));
        browser.SaveScreenshot(Path.Combine(ScreenshotFolder, "status-page-redis-down.png"));
        await infrastructure.Redis.StartAgainAsync();
        await WaitForAsync(browser, system, v => v.Problems.Count == 0, TimeSpan.FromSeconds(30), "the end of the Redis outage");

        clock.Restart();
        await infrastructure.RabbitMq.StopAsync();
        var brokerStopped = clock.Elapsed;
        var brokerDown = await WaitForAsync(browser, system, v => v.Problems.Any(p => p.Dependency == "rabbitmq"), ShownBound, "the broker outage");
        var brokerShown = clock.Elapsed;
        Assert.Contains("RabbitMQ", brokerDown.Problems.Single(p => p.Dependency == "rabbitmq").Text, StringComparison.Ordinal);
        await infrastructure.RabbitMq.StartAgainAsync();
        await WaitForAsync(browser, system, v => v.Problems.Count == 0, TimeSpan.FromSeconds(90), "the end of the broker outage");

        clock.Restart();
        await system.Scaler.KillAsync();
        var scalerGone = await WaitForAsync(browser, system, v => v.Stale && v.Problems.Any(p => p.Dependency == "scaler"), ShownBound, "the scaler's death");
        var scalerShown = clock.Elapsed;
        Assert.Contains("does not answer", scalerGone.Problems.Single(p => p.Dependency == "scaler").Text, StringComparison.Ordinal);
        output.WriteLine($"on the page: Redis down after {redisShown.TotalSeconds:0.00} s, RabbitMQ down after {brokerShown.TotalSeconds:0.00} s "
            + $"(its stop took {brokerStopped.TotalSeconds:0.00} s of that), "
            + $"scaler killed after {scalerShown.TotalSeconds:0.00} s ({scalerGone})");
    }

    private static (long ScrollWidth, long InnerWidth) Widths(HeadlessChromium browser)
    {
        var widths = (IReadOnlyCollection<object>)browser.Driver.ExecuteScript("return [document.documentElement.scrollWidth, window.innerWidth];")!;
        return ((long)widths.First(), (long)widths.Last());
    }

    private static async Task<StatusPageView> WaitForAsync(
        HeadlessChromium browser, HealingSystem system, Func<StatusPageView, bool> condition, TimeSpan within, string what)
    {
        StatusPageView? view = null;
        await Eventually.TrueAsync(() =>
        {
            view = StatusPageView.Read(browser.Driver);
            return Task.FromResult(condition(view));
        }, within, () => $"the status page never showed {what} (it showed: {view}); scaler output:\n{system.Scaler.Tail(30)}\n");
        return view!;
    }
}
