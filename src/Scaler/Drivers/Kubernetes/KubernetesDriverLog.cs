namespace StarGuide.Scaler.Drivers.Kubernetes;

internal static partial class KubernetesDriverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: scaled deployment {Deployment} from {From} to {To} replicas for {InstanceId}")]
    public static partial void Scaled(ILogger logger, string pool, string deployment, int from, int to, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: {InstanceId} runs as pod {Pod} at {Address}")]
    public static partial void Started(ILogger logger, string pool, string instanceId, string pod, Uri address);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Pool {Pool}: stopping pod {Pod}, deployment {Deployment} scaled from {From} to {To}; its grace period is the pod spec's {PodGrace} (the pool asked for {Grace})")]
    public static partial void Stopping(ILogger logger, string pool, string pod, string deployment, int from, int to, TimeSpan podGrace, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: pod {Pod} is gone")]
    public static partial void Stopped(ILogger logger, string pool, string pod);
}
