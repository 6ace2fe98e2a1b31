using System.ComponentModel.DataAnnotations;

namespace StarGuide.ServiceDefaults;

/// <summary>
/// The bus (section <c>MessageBus</c>): retry of a consumer that threw, before the message goes to the service's
/// <c>_error</c> queue (kept there, not dropped; delayed redelivery is not used: it needs RabbitMQ's delayed-exchange
/// plugin, which Debian's broker lacks), and the ceiling on pool versions. Who may publish what is
/// <see cref="Messaging.Publishers.PublishersOptions"/> (<c>MessageBus:Publishers</c>).
/// </summary>
public sealed class MessageBusOptions
{
    public const string SectionName = "MessageBus";

    /// <summary>In-memory retries with exponential back-off before the message is faulted.</summary>
    [Range(0, 50)]
    public int RetryLimit { get; set; } = 10;

    /// <summary>First back-off interval.</summary>
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest back-off interval.</summary>
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far ahead of this service's clock a pool version may be. The scaler's versions are its clock in Unix
    /// milliseconds (or one more than the last), so a real one is never far ahead; a version beyond now plus this would
    /// freeze the pool (every later, real version is lower) and is refused. Covers clock differences between hosts.
    /// </summary>
    public TimeSpan MaxPoolVersionAhead { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The nodes of a RabbitMQ cluster, comma-separated, each <c>host</c> or <c>host:port</c> (default port 5672, 5671 for
    /// amqps), e.g. <c>rabbitmq-0:5672,rabbitmq-1:5672,rabbitmq-2:5672</c>. Set, the service connects to these (one per
    /// attempt, round robin) and <c>ConnectionStrings:rabbitmq</c> gives only the scheme, user, password and virtual
    /// host; unset, it connects to the connection string's host (a single broker, as before).
    /// </summary>
    public string? Nodes { get; set; }

    /// <summary>
    /// Whether every queue this service declares is a quorum queue (replicated on a majority of the cluster's nodes, so
    /// that losing a node loses no message). Unset: on when <see cref="Nodes"/> names more than one node. Every service of
    /// a deployment must agree: RabbitMQ refuses to declare an existing queue with another type.
    /// </summary>
    public bool? QuorumQueues { get; set; }
}
