namespace StarGuide.ServiceDefaults;

/// <summary>
/// Names shared by the AppHost and the services: Aspire resource names, which are also the connection-string
/// keys (<c>ConnectionStrings:rabbitmq</c>) and the service names in telemetry.
/// </summary>
public static class ResourceNames
{
    public const string RabbitMq = "rabbitmq";

    /// <summary>The AppHost's own Erlang port mapper for its local RabbitMQ (stopped with the AppHost).</summary>
    public const string RabbitMqEpmd = RabbitMq + "-epmd";

    public const string Redis = "redis";
    public const string Gateway = "gateway";
    public const string HealthMonitor = "health-monitor";
    public const string Scaler = "scaler";
    public const string BackupService = "backup-service";
    public const string BackendPool = "backend";
    public const string FrontendPool = "frontend";
}
