using System.Security.Cryptography;
using StarGuide.ServiceDefaults;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.AppHost.Infrastructure;

/// <summary>
/// The broker resource (its connection string is the administrator's, for tools) and the project's broker users
/// (<see cref="BrokerUsers"/>), each with a password made up for this run: every service connects as its own user.
/// </summary>
internal sealed class MessageBroker(
    IResourceBuilder<IResourceWithConnectionString> resource,
    IReadOnlyDictionary<string, string> passwords,
    Func<string, string, ReferenceExpression> connectionString)
{
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; } = resource;

    /// <summary>The password of each of <see cref="BrokerUsers.All"/>, for this run only.</summary>
    public IReadOnlyDictionary<string, string> Passwords { get; } = passwords;

    public static IReadOnlyDictionary<string, string> NewPasswords() =>
        BrokerUsers.All.ToDictionary(u => u, _ => RandomNumberGenerator.GetHexString(24, lowercase: true));

    /// <summary><c>ConnectionStrings:rabbitmq</c> of the service whose broker user is <paramref name="user"/>.</summary>
    public ReferenceExpression ConnectionStringFor(string user) => connectionString(user, Passwords[user]);
}

internal static class MessageBrokerExtensions
{
    /// <summary>
    /// The service connects to the broker as <paramref name="user"/> (its <c>ConnectionStrings:rabbitmq</c>), with that
    /// user's permissions only; the dashboard shows the broker as one of its references.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBrokerUser(this IResourceBuilder<ProjectResource> project, MessageBroker broker, string user) =>
        project
            .WithEnvironment("ConnectionStrings__" + ResourceNames.RabbitMq, broker.ConnectionStringFor(user))
            .WithReferenceRelationship(broker.Resource);
}
