using StarGuide.HealthMonitor.Tests.Support;
using StarGuide.ServiceDefaults;
using StarGuide.Testing;
using Xunit.Abstractions;

namespace StarGuide.HealthMonitor.Tests.Probing;

/// <summary>
/// An instance that hangs like a process stopped with SIGSTOP (connections accepted, nothing answered), probed with
/// the default settings (Interval 2 s, Timeout 1 s, UnhealthyThreshold 2) by a monitor on a real RabbitMQ.
/// </summary>
public sealed class HungInstanceTests(RabbitMqFixture broker, ITestOutputHelper output) : IClassFixture<RabbitMqFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    // The worst case with the defaults is 5 s (hang just after an answer: probes at +2 s and +4 s time out at +3 s and
    // +5 s); bench/failover.sh measures 4.0 s on a quiet machine. On a loaded 2-core machine each of the three timers on
    // that path (two probe rounds, one probe timeout) can fire a second or two late: 5 + 3 × 2 = 11 s. A third probe
    // (7 s worst case on a quiet machine) is caught by counting the probes the hung instance received, not by the clock.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(11);

    private readonly Cleanup _cleanup = new();
    private HangingUpstream _upstream = null!;
    private VerdictListener _verdicts = null!;

    public async Task InitializeAsync()
    {
        _upstream = _cleanup.Add(HangingUpstream.Start());
        _verdicts = _cleanup.Add(await VerdictListener.StartAsync(broker.Server));
        _cleanup.Add(await MonitorHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.Server.ConnectionStringFor(ResourceNames.HealthMonitor),
            ["Pools:backend:Instances:0:Id"] = "hung",
            ["Pools:backend:Instances:0:Address"] = _upstream.Address.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        }, Patience));
    }

    public async Task DisposeAsync() => await _cleanup.DisposeAsync();

    [Fact]
    public async Task Instance_that_hangs_just_after_answering_is_declared_unhealthy_after_two_probes_with_one_probe_open_at_a_time()
    {
        await Eventually.TrueAsync(() => _verdicts.Recovered.Any(v => v.InstanceId == "hung"), Patience,
            "the instance was not announced healthy");

        var lastAnswer = await _upstream.HangAfterNextAnswerAsync().WaitAsync(Patience);
        await Eventually.TrueAsync(() => !_verdicts.Unhealthy.IsEmpty, Patience, "the hung instance was not declared unhealthy");

        var verdict = Assert.Single(_verdicts.Unhealthy);
        Assert.Equal("hung", verdict.InstanceId);
        Assert.Equal(2, verdict.ConsecutiveFailures);
        Assert.Contains("no answer", verdict.Reason);
        // UnhealthyThreshold (2) unanswered probes before the verdict, whatever the machine's timers did.
        var unanswered = _upstream.Unanswered.Count(at => at <= verdict.DetectedAt);
        Assert.True(unanswered == 2, $"{unanswered} probes of the hung instance before it was declared unhealthy, not 2");
        var detectedAfter = verdict.DetectedAt - lastAnswer;
        output.WriteLine($"declared unhealthy {detectedAfter.TotalSeconds:0.00} s after it hung, after {unanswered} unanswered probes");
        Assert.True(detectedAfter < Bound, $"declared unhealthy {detectedAfter.TotalSeconds:0.00} s after it hung");
        Assert.Equal(1, _upstream.MostHeldAtOnce);
    }
}
