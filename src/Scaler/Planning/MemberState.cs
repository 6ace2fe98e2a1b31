namespace StarGuide.Scaler.Planning;

/// <summary>Where an instance is in its life, as the scaler sees it.</summary>
internal enum MemberState
{
    /// <summary>Running, not yet seen healthy: in the pool, but the gateway sends it nothing yet.</summary>
    Starting,

    /// <summary>Passed a health probe: takes traffic.</summary>
    Ready,

    /// <summary>The health monitor declared it unhealthy: out of rotation, to be replaced.</summary>
    Unhealthy,

    /// <summary>Leaving: <c>InstanceDraining</c> published, the gateways stop sending it requests; stopped after the drain delay.</summary>
    Draining,

    /// <summary>Asked to stop (SIGTERM, <c>docker stop</c>); gone once the driver says so.</summary>
    Stopping,
}
