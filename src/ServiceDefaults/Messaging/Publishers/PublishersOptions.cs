namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// Which broker users each kind of event is accepted from (section <c>MessageBus:Publishers</c>), as comma-separated
/// RabbitMQ user names, e.g. <c>MessageBus:Publishers:PoolEvents=scaler</c>. The user is the message's AMQP
/// <c>user_id</c>, which RabbitMQ checks against the publishing connection's login: it cannot be forged. An event from
/// anyone else, or without a user id, is not consumed (see <see cref="PublisherCheckFilter{T}"/>). The defaults are the
/// user names the AppHost, compose, Kubernetes and the tests' brokers create, one per service.
/// </summary>
public sealed class PublishersOptions
{
    public const string SectionName = MessageBusOptions.SectionName + ":Publishers";

    /// <summary>Users whose <c>PoolChanged</c>, <c>InstanceStarted</c>, <c>InstanceDraining</c> and <c>InstanceStopped</c> are applied.</summary>
    public string PoolEvents { get; set; } = ResourceNames.Scaler;

    /// <summary>Users whose <c>ScaleRequested</c> is applied (the scaler's decision loop and its operator endpoint publish it).</summary>
    public string ScaleRequests { get; set; } = ResourceNames.Scaler;

    /// <summary>Users whose <c>InstanceUnhealthy</c> and <c>InstanceRecovered</c> verdicts are applied.</summary>
    public string HealthVerdicts { get; set; } = ResourceNames.HealthMonitor;

    /// <summary>Users whose <c>BackupCompleted</c> and <c>BackupFailed</c> are recorded.</summary>
    public string BackupResults { get; set; } = ResourceNames.BackupService;

    /// <summary>Users whose <c>BackupRequested</c> starts a backup.</summary>
    public string BackupRequests { get; set; } = BrokerUsers.Operator;
}
