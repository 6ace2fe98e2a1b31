using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.PassiveHealth;
using StarGuide.Gateway.Tests.Support;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.PassiveHealth;

/// <summary>
/// <see cref="MaxFailsPolicy"/> at its edges: which errors count, the FailTimeout boundary, a pool reconfigured
/// between failures, a clock that has just started, and what an ejection tells the rest of the gateway.
/// </summary>
public class MaxFailsEdgeTests
{
    private static readonly TimeSpan FailTimeout = TimeSpan.FromSeconds(30);

    private readonly RecordingHealthUpdater _health = new();
    private readonly RecordingDestinationsUpdater _destinations = new();
    private readonly FakeLogger<MaxFailsPolicy> _logger = new();
    private readonly DestinationState _destination = Destinations.Create("a");
    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private FakeTimeProvider _time = new();

    [Theory]
    [InlineData(ForwarderError.Request, true)]
    [InlineData(ForwarderError.RequestTimedOut, true)]
    [InlineData(ForwarderError.RequestBodyDestination, true)]
    [InlineData(ForwarderError.ResponseBodyDestination, true)]
    [InlineData(ForwarderError.UpgradeRequestDestination, true)]
    [InlineData(ForwarderError.UpgradeResponseDestination, true)]
    [InlineData(ForwarderError.RequestCanceled, false)]
    [InlineData(ForwarderError.RequestBodyCanceled, false)]
    [InlineData(ForwarderError.ResponseBodyCanceled, false)]
    [InlineData(ForwarderError.RequestBodyClient, false)]
    [InlineData(ForwarderError.ResponseBodyClient, false)]
    [InlineData(ForwarderError.UpgradeRequestClient, false)]
    [InlineData(ForwarderError.UpgradeResponseClient, false)]
    [InlineData(ForwarderError.NoAvailableDestinations, false)]
    public void Only_errors_on_the_instance_s_side_count(ForwarderError error, bool counts)
    {
        var (policy, cluster) = Create(maxFails: 1);

        policy.RequestProxied(ForwarderFailure.Context(error), cluster, _destination);

        Assert.Equal(counts ? 1 : 0, _health.Ejections.Count);
    }

    [Theory]
    [InlineData(502, true)] // the first listed code counts as much as the others
    [InlineData(504, true)]
    [InlineData(500, false)]
    [InlineData(200, false)]
    public void Listed_status_codes_count_as_failures(int status, bool counts)
    {
        var (policy, cluster) = Create(maxFails: 1, failureStatusCodes: [502, 503, 504]);

        policy.RequestProxied(ForwarderFailure.Context(status: status), cluster, _destination);

        Assert.Equal(counts ? 1 : 0, _health.Ejections.Count);
    }

    [Theory]
    [InlineData(15, true)] // the third failure is FailTimeout after the first: still within it
    [InlineData(16, false)]
    public void MaxFails_failures_spanning_exactly_FailTimeout_take_it_out(int secondsApart, bool ejected)
    {
        var (policy, cluster) = Create();

        Fail(policy, cluster);
        _time.Advance(TimeSpan.FromSeconds(secondsApart));
        Fail(policy, cluster);
        _time.Advance(TimeSpan.FromSeconds(secondsApart));
        Fail(policy, cluster);

        Assert.Equal(ejected ? 1 : 0, _health.Ejections.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_clock_that_has_just_started_does_not_make_up_failures(int maxFails)
    {
        // Stopwatch timestamps count from the machine's boot: a gateway started shortly after it reads small ones.
        _time = new FakeTimeProvider(DateTimeOffset.MinValue);
        var (policy, cluster) = Create(maxFails);

        for (var i = 1; i < maxFails; i++)
        {
            Fail(policy, cluster);
        }
        Assert.Empty(_health.Ejections);

        Fail(policy, cluster);
        Assert.Single(_health.Ejections);
    }

    [Fact]
    public void Failures_counted_under_the_old_MaxFails_are_dropped_when_the_pool_changes_it()
    {
        _time = new FakeTimeProvider(DateTimeOffset.MinValue);
        var (policy, cluster) = Create(maxFails: 3);
        Fail(policy, cluster);
        Fail(policy, cluster);

        var (_, changed) = Create(maxFails: 2);
        Fail(policy, changed);
        Assert.Empty(_health.Ejections);

        Fail(policy, changed);
        Assert.Single(_health.Ejections);
    }

    [Fact]
    public void A_failure_of_an_instance_already_out_is_not_counted_again()
    {
        var (policy, cluster) = Create(maxFails: 1);
        using var ejections = new MetricCollector<long>(_meters, PassiveHealthMetrics.MeterName, "starguide.gateway.passive_ejections");
        Fail(policy, cluster);

        Fail(policy, cluster); // a request that was under way when it was ejected

        Assert.Single(_health.Ejections);
        Assert.Single(ejections.GetMeasurementSnapshot());
    }

    [Fact]
    public void A_good_answer_from_an_instance_in_rotation_changes_nothing()
    {
        var (policy, cluster) = Create();
        _destination.Health.Passive = DestinationHealth.Healthy;

        policy.RequestProxied(ForwarderFailure.Context(), cluster, _destination);

        Assert.Empty(_health.Changes);
    }

    [Fact]
    public void An_ejection_takes_the_instance_out_of_the_next_pick_and_is_logged_as_a_warning()
    {
        var (policy, cluster) = Create(maxFails: 2);

        Fail(policy, cluster);
        Assert.Empty(_destinations.Updated);
        Assert.Equal(0, _logger.Collector.Count);
        Fail(policy, cluster);

        Assert.Equal(["backend"], _destinations.Updated);
        var log = _logger.Collector.LatestRecord;
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal("Instance backend/a failed 2 times within 00:00:30: out of rotation for as long", log.Message);
    }

    [Fact]
    public void The_ejection_counter_states_its_unit_and_what_it_counts()
    {
        var (policy, cluster) = Create(maxFails: 1);
        using var ejections = new MetricCollector<long>(_meters, PassiveHealthMetrics.MeterName, "starguide.gateway.passive_ejections");

        Fail(policy, cluster);

        Assert.Equal("{ejection}", ejections.Instrument!.Unit);
        Assert.Equal("Times an instance failed MaxFails times within FailTimeout and was taken out for FailTimeout",
            ejections.Instrument.Description);
    }

    [Fact]
    public void A_pool_s_MaxFails_and_FailTimeout_are_read_back_from_its_cluster()
    {
        var pool = new GatewayPoolOptions { MaxFails = 5, FailTimeout = TimeSpan.FromSeconds(7) };
        var cluster = new ClusterConfig
        {
            ClusterId = "backend",
            HealthCheck = new HealthCheckConfig { Passive = PoolPassiveHealth.Config(pool) },
            Metadata = PoolPassiveHealth.Metadata(pool),
        };

        Assert.Equal(5, PoolPassiveHealth.MaxFails(cluster));
        Assert.Equal(TimeSpan.FromSeconds(7), PoolPassiveHealth.FailTimeout(cluster));
        Assert.Equal(MaxFailsPolicy.PolicyName, cluster.HealthCheck.Passive!.Policy);
    }

    public static TheoryData<ClusterConfig> WithoutPassiveHealthSettings() =>
    [
        new() { ClusterId = "backend" },
        new() { ClusterId = "backend", HealthCheck = new HealthCheckConfig(), Metadata = new Dictionary<string, string>() },
        new()
        {
            ClusterId = "backend",
            HealthCheck = new HealthCheckConfig { Passive = new PassiveHealthCheckConfig() },
            Metadata = new Dictionary<string, string> { [PoolPassiveHealth.MaxFailsKey] = "0" },
        },
        new() { ClusterId = "backend", Metadata = new Dictionary<string, string> { [PoolPassiveHealth.MaxFailsKey] = "-1" } },
        new() { ClusterId = "backend", Metadata = new Dictionary<string, string> { [PoolPassiveHealth.MaxFailsKey] = "many" } },
    ];

    [Theory]
    [MemberData(nameof(WithoutPassiveHealthSettings))]
    public void A_cluster_without_usable_settings_gets_nginx_s_defaults(ClusterConfig cluster)
    {
        Assert.Equal(3, PoolPassiveHealth.MaxFails(cluster));
        Assert.Equal(TimeSpan.FromSeconds(30), PoolPassiveHealth.FailTimeout(cluster));
    }

    [Theory]
    [InlineData(399, false)]
    [InlineData(400, true)]
    [InlineData(599, true)]
    [InlineData(600, false)]
    public void Failure_status_codes_must_be_400_to_599(int code, bool valid)
    {
        var result = new PassiveHealthOptionsValidator().Validate(null, new PassiveHealthOptions { FailureStatusCodes = [code] });

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Every_bad_failure_status_code_is_named()
    {
        var result = new PassiveHealthOptionsValidator().Validate(null, new PassiveHealthOptions { FailureStatusCodes = [200, 503, 302] });

        Assert.Equal(
            new[]
            {
                "Gateway:PassiveHealth:FailureStatusCodes:0 must be an error status (400-599); it is 200.",
                "Gateway:PassiveHealth:FailureStatusCodes:2 must be an error status (400-599); it is 302.",
            },
            result.Failures);
    }

    private void Fail(MaxFailsPolicy policy, ClusterState cluster) =>
        policy.RequestProxied(ForwarderFailure.Context(ForwarderError.Request), cluster, _destination);

    private (MaxFailsPolicy, ClusterState) Create(int maxFails = 3, int[]? failureStatusCodes = null)
    {
        var pool = new GatewayPoolOptions { MaxFails = maxFails, FailTimeout = FailTimeout };
        var cluster = Destinations.Cluster(new ClusterConfig
        {
            ClusterId = "backend",
            HealthCheck = new HealthCheckConfig { Passive = PoolPassiveHealth.Config(pool) },
            Metadata = PoolPassiveHealth.Metadata(pool),
        });
        var options = new StaticOptions(new PassiveHealthOptions { FailureStatusCodes = failureStatusCodes ?? [] });
        var policy = new MaxFailsPolicy(_health, _destinations, _time, options, new PassiveHealthMetrics(_meters), _logger);
        return (policy, cluster);
    }

    private sealed class RecordingHealthUpdater : IDestinationHealthUpdater
    {
        public List<(string Destination, DestinationHealth Health)> Changes { get; } = [];

        public List<string> Ejections => [.. Changes.Where(c => c.Health == DestinationHealth.Unhealthy).Select(c => c.Destination)];

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod)
        {
            destination.Health.Passive = newHealth;
            Changes.Add((destination.DestinationId, newHealth));
        }
    }

    private sealed class RecordingDestinationsUpdater : IClusterDestinationsUpdater
    {
        public List<string> Updated { get; } = [];

        public void UpdateAllDestinations(ClusterState cluster)
        {
        }

        public void UpdateAvailableDestinations(ClusterState cluster) => Updated.Add(cluster.ClusterId);
    }

    private sealed class StaticOptions(PassiveHealthOptions value) : IOptionsMonitor<PassiveHealthOptions>
    {
        public PassiveHealthOptions CurrentValue => value;

        public PassiveHealthOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PassiveHealthOptions, string?> listener) => null;
    }
}
