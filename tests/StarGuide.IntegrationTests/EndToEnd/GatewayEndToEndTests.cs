using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Contracts;
using StarGuide.IntegrationTests.Healing.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.Pools;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging.Publishers;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.IntegrationTests.EndToEnd;

/// <summary>The system started by the AppHost, as <c>dotnet run --project src/AppHost</c> starts it.</summary>
public sealed class GatewayEndToEndTests(AppHostFixture system, ITestOutputHelper output) : IClassFixture<AppHostFixture>
{
    /// <summary>
    /// From a kill -9 to the pool back at its size and serving. The issue's 30 s is a speed target met in bench/failover.sh
    /// and by hand under the AppHost (2.3 s); this bound only has to catch a pool that does not heal on a busy CI machine.
    /// </summary>
    private static readonly TimeSpan HealBound = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(ResourceNames.BackendPool)]
    [InlineData(ResourceNames.FrontendPool)]
    public void The_first_two_instances_of_a_pool_become_ready_and_are_not_replaced(string pool)
    {
        // What a user sees first: the instances the scaler started are the ones that serve. Under `dotnet run`, with
        // RabbitMQ answering after the services started, the monitor's first verdicts were published before the
        // scaler's queues were bound: the first instances stayed "starting" although healthy and were replaced after
        // the 60 s start timeout, so the pool first counted as up with instances 3 and 4 (the scaler's events now wait
        // for its bus). The race depends on start-up order and did not always come under this test host: this checks
        // the outcome, PoolEventsWaitForTheBusTests the mechanism.
        var ready = system.AtStart[pool].Members.Where(m => m.State == MemberState.Ready).Select(m => m.InstanceId).ToList();

        Assert.Contains($"{pool}-1", ready);
        Assert.Contains($"{pool}-2", ready);
    }

    [Fact]
    public async Task Request_through_the_gateway_is_answered_by_a_sample_backend()
    {
        using var response = await system.Gateway.GetAsync("/api/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("backend-", InstanceOf(response));
        Assert.Contains("\"path\":\"/api/hello\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_scalers_pools_answer_only_to_the_token_the_AppHost_gave_its_services()
    {
        using var anonymous = new HttpClient { BaseAddress = system.Scaler.BaseAddress };

        using var refused = await anonymous.GetAsync("/pools");
        using var refusedScale = await anonymous.PostAsJsonAsync("/pools/backend/scale", new { desired = 5 });
        using var allowed = await system.Scaler.GetAsync("/pools");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedScale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Frontend_pool_serves_the_single_page_app_through_the_gateway()
    {
        using var response = await system.Gateway.GetAsync("/some/deep/link");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("frontend-", InstanceOf(response));
        Assert.Contains("<title>StarGuide", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The README's promise: kill -9 a backend and keep asking, no request fails. The window that matters is the one
    /// between the kill and the gateway hearing of it, when the dead instance is still in its rotation and only the
    /// gateway's retry (and then passive health) keeps requests from failing; so the load runs from before the kill,
    /// through it, until the replacement serves, and when the gateway dropped the instance is read from its own view
    /// (its <c>/metrics</c>), not assumed from the event.
    /// </summary>
    [Fact]
    public async Task A_backend_killed_with_kill_9_under_load_is_replaced_and_no_request_fails_not_even_before_the_gateway_hears()
    {
        // The scaler counts an instance ready when the monitor says so; the gateway admits it on the same verdict, a
        // moment later on a loaded machine. Kill only once the gateway has served from two of them, or the survivor
        // may not be in its rotation yet (503: no destination).
        var serving = await InstancesTheGatewayServesFromAsync(minimum: 2);
        var before = (await system.PoolAsync(ResourceNames.BackendPool))!;
        var victim = before.Members.First(m => m.State == MemberState.Ready && serving.Contains(m.InstanceId));
        var brokerUri = new Uri((await system.App.GetConnectionStringAsync(ResourceNames.RabbitMq))!);
        var stopped = new TaskCompletionSource<InstanceStopped>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(brokerUri);
            cfg.ReceiveEndpoint(e => e.Handler<InstanceStopped>(context =>
            {
                if (context.Message.InstanceId == victim.InstanceId)
                {
                    stopped.TrySetResult(context.Message);
                }
                return Task.CompletedTask;
            }));
        });
        await observer.StartAsync();
        // /api/health is not rate limited (the seed's rule), so the load measures healing, not the api zone.
        var load = LoadRun.Start(system.Gateway, workers: 3, path: _ => "/api/health", recordAnswers: true);
        try
        {
            await using var watch = await GatewayRotationWatch.StartAsync(system.GatewayManagement, ResourceNames.BackendPool,
                victim.InstanceId, () => load.Elapsed, HealBound);
            var retriesBefore = await watch.RetriesAsync();
            await Task.Delay(1500);
            var killedAt = load.Elapsed;
            Signals.Send(int.Parse(victim.Handle, CultureInfo.InvariantCulture), Signals.Kill);

            var message = await stopped.Task.WaitAsync(HealBound);
            var removedAt = await watch.RemovedAsync(HealBound);
            // Then the pool is back at its size with a new instance serving through the gateway.
            PoolStatus? pool = null;
            // At its desired size rather than its size before: the backend pool autoscales, and may have moved meanwhile.
            await Eventually.TrueAsync(async () => (pool = await system.PoolAsync(ResourceNames.BackendPool)) is { } p
                    && p.Ready >= p.Desired && p.Members.All(m => m.InstanceId != victim.InstanceId)
                    && p.Members.Any(m => m.Restarts >= 1 && before.Members.All(b => b.InstanceId != m.InstanceId) && load.FirstAnswerOf(m.InstanceId) is not null),
                HealBound, () => $"the backend pool was not back at its desired size ({pool?.Desired}) with the replacement serving");
            await Task.Delay(500);
            await load.StopAsync();

            var replacement = pool!.Members.First(m => m.Restarts >= 1 && before.Members.All(b => b.InstanceId != m.InstanceId));
            var inWindow = load.Answers.Count(a => a.Sent >= killedAt && a.Sent < removedAt) + load.FailuresSentBetween(killedAt, removedAt);
            var retried = await watch.RetriesAsync() - retriesBefore;
            output.WriteLine($"kill -9 of {victim.InstanceId}: the gateway took it out of rotation {(watch.OutOfRotation - killedAt)?.TotalSeconds:0.000} s "
                + $"and dropped it {(removedAt - killedAt).TotalSeconds:0.000} s after the kill; {inWindow} requests sent in between, "
                + $"{load.FailuresSentBetween(killedAt, removedAt)} failed; replacement {replacement.InstanceId} serving "
                + $"{(load.FirstAnswerOf(replacement.InstanceId) - killedAt)?.TotalSeconds:0.0} s after the kill; {load.Requests} requests in all, "
                + $"{load.Failures.Count} failed, {retried} retried by the gateway");
            Assert.Contains("exit code 137", message.Reason);
            Assert.True(inWindow > 0, "no request was sent between the kill and the gateway dropping the instance: the window was not under load");
            Assert.Empty(load.Failures);
        }
        finally
        {
            await load.StopAsync();
            await observer.StopAsync();
        }
    }

    [Fact]
    public void The_broker_s_epmd_is_the_apphost_s_own_not_a_daemon_that_would_outlive_it()
    {
        // The AppHost runs in this process: its servers keep their data under .data/run-<this process's id>.
        var runFolder = $"{Path.DirectorySeparatorChar}.data{Path.DirectorySeparatorChar}run-{Environment.ProcessId}{Path.DirectorySeparatorChar}";
        var epmds = Directory.EnumerateDirectories("/proc")
            .Select(dir => (Command: ReadProc(dir, "cmdline"), Environment: ReadProc(dir, "environ") + " " + WorkingDirectory(dir) + "/"))
            .Where(p => p.Command.Contains("epmd", StringComparison.Ordinal) && p.Environment.Contains(runFolder, StringComparison.Ordinal))
            .Select(p => p.Command)
            .ToList();

        Assert.NotEmpty(epmds);
        Assert.All(epmds, command => Assert.DoesNotContain("-daemon", command, StringComparison.Ordinal));
    }

    /// <summary>A /proc file with NULs as spaces, or "" when the process is gone or not readable.</summary>
    private static string ReadProc(string processDirectory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, file)).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string WorkingDirectory(string processDirectory)
    {
        try
        {
            return new DirectoryInfo(Path.Combine(processDirectory, "cwd")).LinkTarget ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private async Task<HashSet<string>> InstancesTheGatewayServesFromAsync(int minimum)
    {
        var seen = new HashSet<string>();
        var stopwatch = Stopwatch.StartNew();
        while (seen.Count < minimum)
        {
            if (stopwatch.Elapsed > HealBound)
            {
                Assert.Fail($"the gateway served from {seen.Count} backend instance(s) in {HealBound.TotalSeconds} s ({string.Join(", ", seen)}); "
                    + await system.DiagnosticsAsync(ResourceNames.BackendPool));
            }
            // Concurrent requests, so that least-requests balancing spreads them over every instance it has.
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => system.Gateway.GetAsync("/api/health")));
            foreach (var response in responses)
            {
                using (response)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        seen.Add(InstanceOf(response));
                    }
                }
            }
        }
        return seen;
    }

    [Fact]
    public async Task Each_service_connects_to_the_broker_as_its_own_user_and_the_administrator_is_for_tools_only()
    {
        var users = new Dictionary<string, string>();
        foreach (var service in system.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            var configuration = await ExecutionConfigurationBuilder.Create(service).WithEnvironmentVariablesConfig()
                .BuildAsync(system.App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, CancellationToken.None);
            users[service.Name] = BrokerUser.Of(new Uri(configuration.EnvironmentVariables.Single(v => v.Key == $"ConnectionStrings__{ResourceNames.RabbitMq}").Value)).Name;
        }

        Assert.Equal(new Dictionary<string, string>
        {
            [ResourceNames.Gateway] = "gateway",
            [ResourceNames.HealthMonitor] = "health-monitor",
            [ResourceNames.Scaler] = "scaler",
            [ResourceNames.BackupService] = "backup-service",
        }, users);
        // The broker's own connection string (tools, tests) is its administrator's, whom no service trusts.
        var admin = new Uri((await system.App.GetConnectionStringAsync(ResourceNames.RabbitMq))!);
        Assert.DoesNotContain(BrokerUser.Of(admin).Name, users.Values);
    }

    private static string InstanceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Instance-Id", out var values) ? values.Single() : "(none)";
}
