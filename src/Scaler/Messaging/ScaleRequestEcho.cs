namespace StarGuide.Scaler.Messaging;

/// <summary>
/// Tells a scaler's own <c>ScaleRequested</c> from anyone else's. The scaler applies each request it makes (its
/// autoscaler's decisions, an operator's <c>POST /pools/{pool}/scale</c>) before it publishes it, and its own queue is
/// bound to <c>ScaleRequested</c>, so each comes back to it. Applied again it is at best a no-op and at worst a step
/// back: after a broker outage the outbox publishes every waiting request at once, and "3" coming back after "5" was
/// applied drains two instances that "5" then starts again. So the outbox marks what it publishes with the scaler's
/// <see cref="Pools.ScalerOptions.Scope"/>, and a request carrying this scaler's scope is not applied again.
/// </summary>
/// <remarks>
/// The scope, not one process: a pool's state (desired size included) is stored under the scope in Redis, so a
/// request that any scaler of the scope applied is already in the state a restarted scaler carries on from, while its
/// echoes may still wait in the durable queue. Requests from anyone else (a tool publishing as a trusted broker user,
/// <c>MessageBus:Publishers:ScaleRequests</c>) carry no such mark and are applied as before.
/// </remarks>
internal static class ScaleRequestEcho
{
    /// <summary>The header the scaler's outbox sets on everything it publishes: the publishing scaler's scope.</summary>
    public const string ScopeHeader = "StarGuide-Scaler-Scope";

    /// <summary>Whether a request published by <paramref name="publishedByScope"/> (null: not by a scaler) was already applied by this scaler's scope.</summary>
    public static bool IsOwn(string? publishedByScope, string ownScope) =>
        string.Equals(publishedByScope, ownScope, StringComparison.Ordinal);
}
