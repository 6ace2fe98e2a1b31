namespace StarGuide.Testing;

/// <summary>
/// Where the Debian packages put the server executables.
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
}
