using System.Globalization;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// Tells the <see cref="PoolFact"/>s of one pool: a log line, a note for the status page's activity and, for
/// replacements and back-offs, a metric. The words live here; what happened is decided by <see cref="PoolTransitions"/>.
/// </summary>
internal sealed partial class PoolJournal(string pool, string driverKind, ScalerMetrics metrics, IPoolActivity activity, TimeProvider time, ILogger logger)
{
    public void Tell(PoolFact fact)
    {
        switch (fact)
        {
            case Adopted a:
                LogAdopted(logger, pool, a.Count, a.Gone, a.Desired, a.Source);
                Note("instance", null, $"scaler started: {a.Count} instance(s) carried on, {a.Gone} stored one(s) no longer running, "
                    + $"desired {a.Desired} (from {a.Source})");
                break;
            case Starting s:
                LogStarting(logger, pool, s.InstanceId, driverKind, s.Desired);
                break;
            case Started s:
                LogStarted(logger, pool, s.InstanceId, s.Address, s.Handle);
                Note("instance", s.InstanceId, s.Restarts > 0
                    ? $"started at {s.Address} as a replacement (restart {s.Restarts} in a row)"
                    : $"started at {s.Address} to reach {s.Desired}");
                break;
            case StartFailed f:
                LogStartFailed(logger, f.Error, pool, f.InstanceId, f.Error.Message);
                Note("failover", f.InstanceId, $"could not be started: {f.Error.Message}");
                break;
            case Admitted a:
                LogReady(logger, pool, a.InstanceId, a.Address, a.AfterStart.TotalSeconds);
                Note("instance", a.InstanceId, $"ready {a.AfterStart.TotalSeconds:0.0} s after its start");
                break;
            case Recovered r:
                LogRecovered(logger, pool, r.InstanceId);
                Note("instance", r.InstanceId, "healthy again");
                break;
            case Replacing r:
                metrics.Replacement(pool, r.Cause);
                switch (r.Cause)
                {
                    case "unhealthy":
                        LogReplacing(logger, pool, r.InstanceId, r.Cause, r.Reason);
                        Note("failover", r.InstanceId, $"unhealthy ({r.Reason}): out of rotation, a replacement starts first");
                        break;
                    case "exited":
                        LogReplacing(logger, pool, r.InstanceId, r.Cause, r.Reason);
                        Note("failover", r.InstanceId, $"exited ({r.Reason}): replacing it");
                        break;
                    default: // failed-start: the back-off's log line that follows says why
                        Note("failover", r.InstanceId, $"failed to start, replacing it: {r.Reason}");
                        break;
                }
                break;
            case Draining d:
                LogDraining(logger, pool, d.InstanceId, d.Reason, d.StopIn.TotalSeconds);
                Note("instance", d.InstanceId, $"draining: {d.Reason}");
                break;
            case Left l:
                LogStopped(logger, pool, l.InstanceId, l.Reason);
                Note("instance", l.InstanceId, $"left the pool: {l.Reason}");
                break;
            case StopFailed f:
                LogStopFailed(logger, f.Error, pool, f.InstanceId, f.Error.Message);
                break;
            case ListFailed f:
                LogListFailed(logger, f.Error, pool, driverKind);
                break;
            case Found f:
                LogFound(logger, pool, f.InstanceId, f.Address);
                break;
            case Scaled s:
                LogScaled(logger, pool, s.From, s.To, s.Asked, s.RequestedBy, s.Reason);
                Note("scale", null, $"desired {s.From} → {s.To}{(s.To != s.Asked ? $" (asked {s.Asked})" : "")} by {s.RequestedBy}: {s.Reason}");
                break;
            case BoundsSet b:
                LogBounds(logger, pool, b.Floor?.ToString(CultureInfo.InvariantCulture) ?? "none",
                    b.Ceiling?.ToString(CultureInfo.InvariantCulture) ?? "none", b.RequestedBy);
                break;
            case BackedOff b:
                metrics.Backoff(pool);
                LogBackoff(logger, pool, b.InstanceId, b.Why, b.Streak, b.Wait.TotalSeconds);
                Note("backoff", b.InstanceId, $"{b.Why}; crash {b.Streak} in a row, next start in {b.Wait.TotalSeconds:0.#} s");
                break;
            case HeldBack h:
                LogHeldBack(logger, pool, h.Why);
                break;
            case CrashLoopOver c:
                LogCrashLoopOver(logger, pool, c.Streak);
                break;
        }
    }

    /// <summary>A command the loop could not apply (a bug: the loop carries on with the next one).</summary>
    public void LoopError(Exception ex, string command) => LogLoopError(logger, ex, pool, command);

    private void Note(string kind, string? instanceId, string text) =>
        activity.Add(new ActivityEntry(time.GetUtcNow(), pool, kind, instanceId, text));

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {Count} instance(s) carried on, {Gone} stored one(s) no longer running, desired {Desired} (from {Source})")]
    private static partial void LogAdopted(ILogger logger, string pool, int count, int gone, int desired, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: starting {InstanceId} ({Driver} driver) to reach {Desired}")]
    private static partial void LogStarting(ILogger logger, string pool, string instanceId, string driver, int desired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {InstanceId} runs at {Address} ({Handle}); it gets traffic after its first healthy probe")]
    private static partial void LogStarted(ILogger logger, string pool, string instanceId, Uri address, string handle);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {InstanceId} at {Address} is ready, {Seconds:0.0} s after its start")]
    private static partial void LogReady(ILogger logger, string pool, string instanceId, Uri address, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {InstanceId} is healthy again")]
    private static partial void LogRecovered(ILogger logger, string pool, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: replacing {InstanceId} ({Cause}: {Reason})")]
    private static partial void LogReplacing(ILogger logger, string pool, string instanceId, string cause, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: draining {InstanceId} ({Reason}); stopping it in {Seconds:0.#} s")]
    private static partial void LogDraining(ILogger logger, string pool, string instanceId, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {InstanceId} left the pool: {Reason}")]
    private static partial void LogStopped(ILogger logger, string pool, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: desired {From} → {To} (asked {Asked}) by {RequestedBy}: {Reason}")]
    private static partial void LogScaled(ILogger logger, string pool, int from, int to, int asked, string requestedBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: operator floor {Floor}, ceiling {Ceiling} (set by {RequestedBy})")]
    private static partial void LogBounds(ILogger logger, string pool, string floor, string ceiling, string requestedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: {InstanceId} {Why}; crash {Streak} in a row, next start in {Seconds:0.#} s (back-off)")]
    private static partial void LogBackoff(ILogger logger, string pool, string instanceId, string why, int streak, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: held back: {Why}")]
    private static partial void LogHeldBack(ILogger logger, string pool, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: an instance has stayed up; back-off after {Streak} crash(es) cleared")]
    private static partial void LogCrashLoopOver(ILogger logger, string pool, int streak);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: found {InstanceId} at {Address}, started outside the scaler; it gets traffic once healthy")]
    private static partial void LogFound(ILogger logger, string pool, string instanceId, Uri address);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: could not start {InstanceId}: {Cause}")]
    private static partial void LogStartFailed(ILogger logger, Exception ex, string pool, string instanceId, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: could not stop {InstanceId}: {Cause}; trying again")]
    private static partial void LogStopFailed(ILogger logger, Exception ex, string pool, string instanceId, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: the {Driver} driver could not list what runs")]
    private static partial void LogListFailed(ILogger logger, Exception ex, string pool, string driver);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: applying {Command} failed")]
    private static partial void LogLoopError(ILogger logger, Exception ex, string pool, string command);
}
