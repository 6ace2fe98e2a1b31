namespace StarGuide.Scaler.Pools;

internal sealed partial class PoolController
{
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
