using System.Reflection;
using System.Text.Json;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// The RabbitMQ users of StarGuide Edge, one per service (named as the service) plus <see cref="Operator"/>, and the
/// broker definitions that create them with their permissions: <c>deploy/images/rabbitmq/definitions.json</c>, the one
/// copy that the project's image, the AppHost's local broker and the tests' brokers all load (docs/messaging-trust.md).
/// </summary>
public static class BrokerUsers
{
    /// <summary>Publishes <c>BackupRequested</c> (an operator's tool); has no other permission.</summary>
    public const string Operator = "operator";

    private const string TemplateResource = "StarGuide.BrokerDefinitions.json";

    /// <summary>The services' users, each the service's resource name.</summary>
    public static IReadOnlyList<string> Services { get; } =
        [ResourceNames.Gateway, ResourceNames.HealthMonitor, ResourceNames.Scaler, ResourceNames.BackupService];

    /// <summary>Every user the definitions create besides the administrator.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Services, Operator];

    /// <summary>
    /// The definitions with the passwords filled in: an administrator (full permissions, for people and tests) and every
    /// user of <see cref="All"/>, whose password <paramref name="passwords"/> must hold.
    /// </summary>
    public static string Definitions(string adminUser, string adminPassword, IReadOnlyDictionary<string, string> passwords)
    {
        using var stream = typeof(BrokerUsers).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"{TemplateResource} is not embedded in {typeof(BrokerUsers).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd()
            .Replace("{{admin-user}}", Json(adminUser), StringComparison.Ordinal)
            .Replace("{{admin-password}}", Json(adminPassword), StringComparison.Ordinal);
        foreach (var user in All)
        {
            var password = passwords.TryGetValue(user, out var p) && p.Length > 0
                ? p
                : throw new ArgumentException($"No password for the broker user {user}.", nameof(passwords));
            text = text.Replace($"{{{{{user}-password}}}}", Json(password), StringComparison.Ordinal);
        }
        return text.Contains("{{", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"{TemplateResource} names a placeholder that nothing fills in.")
            : text;
    }

    /// <summary>
    /// The environment variable that gives the project's broker image (deploy/images/rabbitmq) the password of
    /// <paramref name="user"/>, e.g. <c>RABBITMQ_HEALTH_MONITOR_PASSWORD</c> (or <c>…_PASSWORD_FILE</c>, a file holding it).
    /// </summary>
    public static string PasswordVariable(string user) =>
        "RABBITMQ_" + user.ToUpperInvariant().Replace('-', '_') + "_PASSWORD";

    /// <summary><paramref name="broker"/>'s address with <paramref name="user"/>'s credentials in place of its own.</summary>
    public static Uri For(Uri broker, string user, string password) =>
        new UriBuilder(broker) { UserName = Uri.EscapeDataString(user), Password = Uri.EscapeDataString(password) }.Uri;

    private static string Json(string value) => JsonEncodedText.Encode(value).ToString();
}
