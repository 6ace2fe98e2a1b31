using Microsoft.Extensions.Logging;

namespace StarGuide.Scaler.Drivers.Docker;

internal static partial class DockerDriverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: started container {Container} ({ContainerId}) for {InstanceId} at {Address}")]
    public static partial void Started(ILogger logger, string pool, string container, string containerId, string instanceId, Uri address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: stopped and removed container {ContainerId} of {InstanceId}")]
    public static partial void Stopped(ILogger logger, string pool, string containerId, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: removed leftover container {Container} before starting {InstanceId}")]
    public static partial void RemovedLeftover(ILogger logger, string pool, string container, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: removed exited container {Container} ({State})")]
    public static partial void PrunedExited(ILogger logger, string pool, string container, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: could not remove exited container {Container}")]
    public static partial void PruneFailed(ILogger logger, Exception exception, string pool, string container);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: container {ContainerId} of {InstanceId} died ({Reason})")]
    public static partial void Died(ILogger logger, string pool, string containerId, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: running container {Container} has no address (no published port {Port} and not on network '{Network}'); ignored")]
    public static partial void NoAddress(ILogger logger, string pool, string container, int port, string network);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: Docker events from {Endpoint} interrupted ({Error}); reconnecting in {Delay}")]
    public static partial void EventsLost(ILogger logger, string pool, string endpoint, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pool {Pool}: no CPU reading for container {ContainerId}: {Error}")]
    public static partial void StatsUnavailable(ILogger logger, string pool, string containerId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {Pool}: an Exited handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string pool);
}
