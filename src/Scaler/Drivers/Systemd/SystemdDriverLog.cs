namespace StarGuide.Scaler.Drivers.Systemd;

internal static partial class SystemdDriverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: started {InstanceId} as {Unit}")]
    public static partial void Started(ILogger logger, string pool, string instanceId, string unit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: stopped {InstanceId} ({Unit})")]
    public static partial void Stopped(ILogger logger, string pool, string instanceId, string unit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: {InstanceId} ({Unit}) did not stop within {Grace}; sending SIGKILL")]
    public static partial void Killing(ILogger logger, string pool, string instanceId, string unit, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: adopted running unit {Unit} as {InstanceId}")]
    public static partial void Adopted(ILogger logger, string pool, string instanceId, string unit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: could not stop {Unit} after its failed start: {Error}")]
    public static partial void CleanupFailed(ILogger logger, string pool, string unit, string error);
}
