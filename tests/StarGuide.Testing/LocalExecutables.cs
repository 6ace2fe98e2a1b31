namespace StarGuide.Testing;

/// <summary>
/// Where the Debian packages put the server executables, and the error to give when they are absent.
/// </summary>
internal static class LocalExecutables
{
    // The real start script: the /usr/sbin wrapper switches to the rabbitmq user and /var/lib/rabbitmq,
    // which would share (and fight over) the system node's data and cookie.
    internal const string RabbitMqServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    // Also the real script rather than /usr/sbin/rabbitmqctl: as root that wrapper runs `su rabbitmq`, which
    // resets HOME, so it would read /var/lib/rabbitmq/.erlang.cookie instead of the node's own cookie.
    internal const string RabbitMqCtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    internal static string? FindRedisServer() => FindOnPath("redis-server");

    internal static string? FindRedisCli() => FindOnPath("redis-cli");

    internal static string? FindRabbitMqServer() => File.Exists(RabbitMqServerScript) ? RabbitMqServerScript : null;

    internal static string? FindRabbitMqCtl() => File.Exists(RabbitMqCtlScript) ? RabbitMqCtlScript : null;

    /// <summary>
    /// Erlang's port mapper; each test node gets its own on a free port so nothing is left running after
    /// the node is disposed (the default, shared epmd on 4369 outlives every node).
    /// </summary>
    internal static string? FindEpmd() => FindOnPath("epmd") ?? (File.Exists("/usr/lib/erlang/bin/epmd") ? "/usr/lib/erlang/bin/epmd" : null);

    internal static string? FindOnPath(string executable, string? pathVariable = null)
    {
        pathVariable ??= Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The message for when no server can be had at all: names what is missing and how to fix it.
    /// Takes the resolved paths (null = not found) so it can be tested without uninstalling anything.
    /// </summary>
    /// <param name="server">Human name, e.g. "RabbitMQ".</param>
    /// <param name="environmentVariable">The variable that would name an existing server.</param>
    /// <param name="debianPackage">The package that provides the executables.</param>
    /// <param name="required">Each required executable: what was looked for, and the path found or null.</param>
    /// <param name="dockerUnavailableReason">Why Testcontainers was not used, for the message.</param>
    internal static string MissingExecutableMessage(
        string server,
        string environmentVariable,
        string debianPackage,
        IReadOnlyList<(string LookedFor, string? ResolvedPath)> required,
        string? dockerUnavailableReason)
    {
        var missing = required.Where(r => r.ResolvedPath is null).Select(r => r.LookedFor).ToList();
        if (missing.Count == 0)
        {
            throw new ArgumentException("Nothing is missing: there is no error to describe.", nameof(required));
        }

        var docker = string.IsNullOrWhiteSpace(dockerUnavailableReason) ? "Docker is not available" : $"Docker is not available ({dockerUnavailableReason})";
        return $"Cannot start a {server} server for the tests: {environmentVariable} is not set, {docker}, "
            + $"and {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. "
            + $"Fix: set {environmentVariable}, or start Docker, or install {debianPackage}: apt-get install -y {debianPackage}";
    }
}
