using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Health;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Retries;

/// <summary>
/// nginx <c>proxy_next_upstream error timeout</c> with <c>proxy_next_upstream_tries 2</c>, limited to what is safe:
/// an attempt that failed before any response byte is sent once more, to another instance, when
/// <list type="bullet">
/// <item>its connection never opened (nothing was sent: any method, POST and PATCH included), or</item>
/// <item>the method is idempotent (GET, HEAD, OPTIONS; PUT and DELETE with <see cref="RetryOptions.RetryPutAndDelete"/>)
/// and its body, if any, can be sent again: it had a <c>Content-Length</c> of at most
/// <see cref="RetryOptions.MaxBufferedBodyBytes"/> and was kept in memory for that purpose.</item>
/// </list>
/// Hand-written because YARP forwards each request exactly once. Sits after load balancing (which has put the chosen
/// destination in <see cref="IReverseProxyFeature.AvailableDestinations"/>) and before passive health, so that each
/// attempt is counted against its own instance.
/// </summary>
internal sealed partial class RetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly EventDrivenDestinationsPolicy _destinations;
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _loadBalancing;
    private readonly IOptionsMonitor<RetryOptions> _options;
    private readonly RetryMetrics _metrics;
    private readonly ILogger<RetryMiddleware> _logger;

    public RetryMiddleware(
        RequestDelegate next,
        EventDrivenDestinationsPolicy destinations,
        IEnumerable<ILoadBalancingPolicy> loadBalancing,
        IOptionsMonitor<RetryOptions> options,
        RetryMetrics metrics,
        ILogger<RetryMiddleware> logger)
    {
        _next = next;
        _destinations = destinations;
        _loadBalancing = loadBalancing.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _options = options;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var options = _options.CurrentValue;
        if (!options.Enabled)
        {
            await _next(context);
            CountAttempt(context);
            return;
        }
        var replayableBody = RetryRules.KeepBodyForReplay(context.Request, options);

        await _next(context);
        CountAttempt(context);

        if (context.Features.Get<IForwarderErrorFeature>() is not { } error
            || !RetryRules.MayRetry(context, error, options, replayableBody))
        {
            return;
        }
        var proxy = context.GetReverseProxyFeature();
        var failed = proxy.ProxiedDestination;
        var cluster = proxy.Route.Cluster;
        if (failed is null || cluster is null || PickAnother(context, cluster, failed) is not { } next)
        {
            return;
        }

        LogRetry(_logger, context.Request.Method, cluster.ClusterId, failed.DestinationId, error.Error, next.DestinationId);
        _metrics.Retried(cluster.ClusterId, error.Error);
        // Only the status: the failed attempt copied nothing from the instance, and headers that middleware in front
        // of the proxy has already set (security headers, say) must survive. YARP refuses to forward unless it is 200.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Features.Set<IForwarderErrorFeature>(null);
        if (replayableBody)
        {
            context.Request.Body.Position = 0;
        }
        proxy.AvailableDestinations = next;
        await _next(context);
        CountAttempt(context);
    }

    /// <summary>
    /// Counts the attempt against the instance it went to, for the scaler's request-rate signal. Here because every
    /// attempt passes, while YARP asks the load-balancing policy only when there is more than one instance to choose from.
    /// </summary>
    private static void CountAttempt(HttpContext context)
    {
        if (context.GetReverseProxyFeature().ProxiedDestination is { } destination)
        {
            LoadReport.DestinationRequestCounts.Increment(destination);
        }
    }

    private DestinationState? PickAnother(HttpContext context, ClusterState cluster, DestinationState failed)
    {
        var candidates = _destinations.GetAvailableDestinations(cluster.ClusterId, cluster.DestinationsState.AllDestinations, excluded: failed);
        if (candidates.Count <= 1)
        {
            return candidates.Count == 0 ? null : candidates[0];
        }
        var policyName = cluster.Model.Config.LoadBalancingPolicy ?? LoadBalancingPolicies.PowerOfTwoChoices;
        return _loadBalancing.TryGetValue(policyName, out var policy)
            ? policy.PickDestination(context, cluster, candidates)
            : candidates[0];
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Method} to {Pool}/{FailedInstance} failed before any response ({Error}); sending it to {NextInstance}")]
    private static partial void LogRetry(ILogger logger, string method, string pool, string failedInstance, ForwarderError error, string nextInstance);
}
