using System.Net;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Pools;
using StarGuide.Gateway.RateLimiting;
using StarGuide.Gateway.Routing;

namespace StarGuide.Gateway.Proxy;

/// <summary>
/// The route's own rules, first in the proxy pipeline once YARP knows the route: its allowed networks (403), its rate
/// limit (429), its cache headers, and 504 when its timeout fired; on a replica that has just started, the wait for
/// the pool's first members (<see cref="PoolStartHold"/>). One layer with one policy lookup and one async frame,
/// rather than a middleware per rule (each an extra delegate call, feature lookup and, for two of them, state machine
/// per request); each rule's behaviour lives in its feature (<see cref="RouteAccess"/>, <see cref="RateLimitRefusal"/>,
/// <see cref="CacheHeaders"/>, <see cref="RouteTimeout"/>).
/// </summary>
internal sealed class RoutePolicyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RoutePolicies _routes;
    private readonly ClientRateLimiter? _limiter;
    private readonly RateLimitingMetrics _rateLimitMetrics;
    private readonly TimeProvider _timeProvider;
    private readonly PoolStartHold _startHold;

    public RoutePolicyMiddleware(
        RequestDelegate next,
        RoutePolicies routes,
        IOptions<RateLimitingOptions> rateLimiting,
        RateLimitingMetrics rateLimitMetrics,
        TimeProvider timeProvider,
        PoolStartHold startHold,
        IServiceProvider services)
    {
        _next = next;
        _routes = routes;
        // Only when on: the limiter connects to Redis, which a gateway without limits need not have.
        _limiter = rateLimiting.Value.Enabled ? services.GetRequiredService<ClientRateLimiter>() : null;
        _rateLimitMetrics = rateLimitMetrics;
        _timeProvider = timeProvider;
        _startHold = startHold;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_routes.For(context) is not { } policy)
        {
            return _next(context);
        }
        var client = context.Connection.RemoteIpAddress;
        if (!policy.Allows(client))
        {
            return RouteAccess.ForbidAsync(context);
        }
        if (policy.Zone is { } zone && _limiter is not null)
        {
            var decision = _limiter.DecideAsync(zone, client ?? IPAddress.None);
            if (!decision.IsCompletedSuccessfully)
            {
                return ForwardWhenAdmittedAsync(context, policy, zone, decision);
            }
            if (!decision.Result.Allowed)
            {
                return RateLimitRefusal.WriteAsync(context, zone, decision.Result, _rateLimitMetrics);
            }
        }
        return ForwardAsync(context, policy);
    }

    private async Task ForwardWhenAdmittedAsync(HttpContext context, RoutePolicy policy, RateLimitZone zone, ValueTask<RateLimitDecision> pending)
    {
        var decision = await pending;
        if (!decision.Allowed)
        {
            await RateLimitRefusal.WriteAsync(context, zone, decision, _rateLimitMetrics);
            return;
        }
        await ForwardAsync(context, policy);
    }

    private async Task ForwardAsync(HttpContext context, RoutePolicy policy)
    {
        if (policy.CacheControl is not null)
        {
            CacheHeaders.Apply(context, policy, _timeProvider);
        }
        if (_startHold.IsWaiting)
        {
            await _startHold.WaitForMembersAsync(context);
        }
        await _next(context);
        RouteTimeout.AnswerIfTimedOut(context);
    }
}
