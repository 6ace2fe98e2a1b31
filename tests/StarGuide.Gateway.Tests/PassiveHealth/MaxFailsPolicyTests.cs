using Microsoft.AspNetCore.Http;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
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

public class MaxFailsPolicyTests
{
    private static readonly TimeSpan FailTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingHealthUpdater _health = new();
    private readonly DestinationState _destination = Destinations.Create("a");
    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    [Fact]
    public void MaxFails_failures_within_FailTimeout_take_the_instance_out_for_FailTimeout()
    {
        var (policy, cluster) = Create();

        Fail(policy, cluster);
        Fail(policy, cluster);
        Assert.Empty(_health.Ejections);

        Fail(policy, cluster);
        Assert.Equal([("a", FailTimeout)], _health.Ejections);
    }

    [Fact]
    public void Each_ejection_is_counted_by_pool_and_instance()
    {
        var (policy, cluster) = Create();
        using var ejections = new MetricCollector<long>(_meters, PassiveHealthMetrics.MeterName, "starguide.gateway.passive_ejections");

        Fail(policy, cluster);
        Fail(policy, cluster);
        Assert.Empty(ejections.GetMeasurementSnapshot());
        Fail(policy, cluster);

        var ejection = Assert.Single(ejections.GetMeasurementSnapshot());
        Assert.Equal(1, ejection.Value);
        Assert.Equal("backend", ejection.Tags["pool"]);
        Assert.Equal("a", ejection.Tags["instance"]);
    }

    [Fact]
    public void Failures_further_apart_than_FailTimeout_do_not_add_up()
    {
        var (policy, cluster) = Create();

        Fail(policy, cluster);
        _time.Advance(TimeSpan.FromSeconds(20));
        Fail(policy, cluster);
        _time.Advance(TimeSpan.FromSeconds(20));
        Fail(policy, cluster);
        Assert.Empty(_health.Ejections); // the first failure is 40 s old

        Fail(policy, cluster);
        Assert.Single(_health.Ejections); // three within the last 20 s
    }

    [Fact]
    public void A_success_between_failures_does_not_reset_the_count()
    {
        var (policy, cluster) = Create();

        Fail(policy, cluster);
        Fail(policy, cluster);
        policy.RequestProxied(ForwarderFailure.Context(), cluster, _destination);
        Fail(policy, cluster);

        Assert.Single(_health.Ejections);
    }

    [Fact]
    public void Back_from_ejection_one_failure_takes_it_out_again_until_it_answers_well()
    {
        var (policy, cluster) = Create();
        Fail(policy, cluster);
        Fail(policy, cluster);
        Fail(policy, cluster);

        _destination.Health.Passive = DestinationHealth.Unknown; // what YARP's reactivation timer does
        Fail(policy, cluster);
        Assert.Equal(2, _health.Ejections.Count);

        _destination.Health.Passive = DestinationHealth.Unknown;
        policy.RequestProxied(ForwarderFailure.Context(), cluster, _destination);
        Assert.Equal(DestinationHealth.Healthy, _destination.Health.Passive);
        Fail(policy, cluster);
        Fail(policy, cluster);
        Assert.Equal(2, _health.Ejections.Count);
    }

    [Theory]
    [InlineData(ForwarderError.Request)]
    [InlineData(ForwarderError.RequestTimedOut)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    public void Connection_errors_and_timeouts_count(ForwarderError error)
    {
        var (policy, cluster) = Create(maxFails: 1);

        policy.RequestProxied(ForwarderFailure.Context(error), cluster, _destination);

        Assert.Single(_health.Ejections);
    }

    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyClient)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    public void Errors_on_the_client_side_do_not_count(ForwarderError error)
    {
        var (policy, cluster) = Create(maxFails: 1);

        policy.RequestProxied(ForwarderFailure.Context(error), cluster, _destination);

        Assert.Empty(_health.Ejections);
    }

    [Fact]
    public void A_client_that_went_away_is_not_the_instance_failing()
    {
        var (policy, cluster) = Create(maxFails: 1);
        var context = ForwarderFailure.Context(ForwarderError.Request);
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        context.RequestAborted = aborted.Token;

        policy.RequestProxied(context, cluster, _destination);

        Assert.Empty(_health.Ejections);
    }

    [Fact]
    public void Status_codes_count_only_when_configured()
    {
        var (policy, cluster) = Create(maxFails: 1);
        policy.RequestProxied(ForwarderFailure.Context(status: StatusCodes.Status503ServiceUnavailable), cluster, _destination);
        Assert.Empty(_health.Ejections);

        (policy, cluster) = Create(maxFails: 1, failureStatusCodes: [502, 503, 504]);
        policy.RequestProxied(ForwarderFailure.Context(status: StatusCodes.Status500InternalServerError), cluster, _destination);
        Assert.Empty(_health.Ejections);
        policy.RequestProxied(ForwarderFailure.Context(status: StatusCodes.Status503ServiceUnavailable), cluster, _destination);
        Assert.Single(_health.Ejections);
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
        var policy = new MaxFailsPolicy(_health, new NoDestinationsUpdater(), _time, options, new PassiveHealthMetrics(_meters),
            NullLogger<MaxFailsPolicy>.Instance);
        return (policy, cluster);
    }

    private sealed class RecordingHealthUpdater : IDestinationHealthUpdater
    {
        public List<(string Destination, TimeSpan ReactivationPeriod)> Ejections { get; } = [];

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod)
        {
            destination.Health.Passive = newHealth;
            if (newHealth == DestinationHealth.Unhealthy)
            {
                Ejections.Add((destination.DestinationId, reactivationPeriod));
            }
        }
    }

    private sealed class NoDestinationsUpdater : IClusterDestinationsUpdater
    {
        public void UpdateAllDestinations(ClusterState cluster)
        {
        }

        public void UpdateAvailableDestinations(ClusterState cluster)
        {
        }
    }

    private sealed class StaticOptions(PassiveHealthOptions value) : IOptionsMonitor<PassiveHealthOptions>
    {
        public PassiveHealthOptions CurrentValue => value;

        public PassiveHealthOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PassiveHealthOptions, string?> listener) => null;
    }
}
