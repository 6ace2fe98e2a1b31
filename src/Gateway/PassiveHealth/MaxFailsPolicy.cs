using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.PassiveHealth;

/// <summary>
/// nginx <c>max_fails</c> / <c>fail_timeout</c>: an instance that fails MaxFails times within FailTimeout is out of
/// rotation for FailTimeout, then tried again; until it answers well once, one more failure takes it out again.
/// Hand-written because YARP's only passive policy (<c>TransportFailureRate</c>) ejects on a failure rate over a
/// minimum number of requests, which cannot say "3 failures in 30 s" and never trips on a quiet instance.
/// </summary>
/// <remarks>
/// A failure is what nginx's <c>error</c> and <c>timeout</c> mean: the instance refused, reset or dropped the
/// connection, or did not answer in time (YARP's destination-side errors), plus the status codes listed in
/// <see cref="PassiveHealthOptions.FailureStatusCodes"/>; a client that went away is nobody's failure. Time comes
/// from the <see cref="TimeProvider"/> service, and so does YARP's reactivation timer
/// (<c>DestinationHealthUpdater</c> schedules it with <c>TimeProvider.CreateTimer</c>), so a fake clock drives both.
/// </remarks>
internal sealed partial class MaxFailsPolicy(
    IDestinationHealthUpdater healthUpdater,
    IClusterDestinationsUpdater destinationsUpdater,
    TimeProvider time,
    IOptionsMonitor<PassiveHealthOptions> options,
    PassiveHealthMetrics metrics,
    ILogger<MaxFailsPolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "MaxFails";

    private readonly ConditionalWeakTable<DestinationState, FailureWindow> _windows = new();

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var health = destination.Health.Passive;
        if (!Failed(context))
        {
            // Unknown: the first good answer since start or since coming back from an ejection; ends the trial.
            if (health == DestinationHealth.Unknown)
            {
                healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, TimeSpan.Zero);
            }
            return;
        }
        if (health == DestinationHealth.Unhealthy)
        {
            return; // Already out: a request that was under way when it was ejected.
        }

        var config = cluster.Model.Config;
        var maxFails = PoolPassiveHealth.MaxFails(config);
        var failTimeout = PoolPassiveHealth.FailTimeout(config);
        var window = _windows.GetValue(destination, static _ => new FailureWindow());
        if (!window.RecordFailure(time, time.GetTimestamp(), maxFails, failTimeout, onTrial: health == DestinationHealth.Unknown))
        {
            return;
        }

        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, failTimeout);
        // SetPassive recomputes the available destinations on the thread pool; doing it here as well means the very
        // next request already goes elsewhere.
        destinationsUpdater.UpdateAvailableDestinations(cluster);
        metrics.Ejected(cluster.ClusterId, destination.DestinationId);
        LogEjected(logger, cluster.ClusterId, destination.DestinationId, maxFails, failTimeout);
    }

    private bool Failed(HttpContext context)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null)
        {
            var codes = options.CurrentValue.FailureStatusCodes;
            return codes.Length > 0 && Array.IndexOf(codes, context.Response.StatusCode) >= 0;
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }
        return error.Error is ForwarderError.Request
            or ForwarderError.RequestTimedOut
            or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseBodyDestination
            or ForwarderError.UpgradeRequestDestination
            or ForwarderError.UpgradeResponseDestination;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Instance {Pool}/{InstanceId} failed {MaxFails} times within {FailTimeout}: out of rotation for as long")]
    private static partial void LogEjected(ILogger logger, string pool, string instanceId, int maxFails, TimeSpan failTimeout);
}
