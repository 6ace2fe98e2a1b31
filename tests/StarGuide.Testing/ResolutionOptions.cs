namespace StarGuide.Testing;

/// <summary>
/// What the start-up resolution may look at. Exists so tests can drive each branch (environment, local process,
/// container, and every error) without touching the real process environment, which is shared by parallel tests.
/// </summary>
internal sealed record ResolutionOptions(Func<string, string?> GetEnvironmentVariable)
{
    internal const string RabbitMqVariable = "STARGUIDE_TEST_RABBITMQ";
    /// <summary>With <see cref="RabbitMqVariable"/>: the password of every project user on that broker (tests connect services as them).</summary>
    internal const string RabbitMqUserPasswordVariable = "STARGUIDE_TEST_RABBITMQ_USER_PASSWORD";
    internal const string RedisVariable = "STARGUIDE_TEST_REDIS";
    internal const string ServersVariable = "STARGUIDE_TEST_SERVERS";

    internal static ResolutionOptions Default { get; } = new(System.Environment.GetEnvironmentVariable);

    /// <summary>False: behave as on a machine without the Debian packages' executables.</summary>
    internal bool LookForLocalExecutables { get; init; } = true;

    /// <summary>The Docker engine to use; null: the one Testcontainers finds (DOCKER_HOST, else the default socket).</summary>
    internal Uri? DockerEndpoint { get; init; }

    /// <summary>The broker's image, built by deploy/build-images.sh.</summary>
    internal string RabbitMqImage { get; init; } = "starguide/rabbitmq:local";

    /// <summary>The Redis image, built by deploy/build-images.sh.</summary>
    internal string RedisImage { get; init; } = "starguide/redis:local";

    /// <summary>STARGUIDE_TEST_SERVERS; unset means <see cref="ServerSelection.Auto"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable has a value other than auto, local or containers.</exception>
    internal ServerSelection Selection => Read(ServersVariable)?.ToLowerInvariant() switch
    {
        null or "auto" => ServerSelection.Auto,
        "local" => ServerSelection.Local,
        "containers" => ServerSelection.Containers,
        var other => throw new InvalidOperationException(
            $"{ServersVariable} must be auto (the default), local or containers, but is '{other}'."),
    };

    /// <summary>The variable's value, or null when it is unset or only white space (treated as unset).</summary>
    internal string? Read(string name)
    {
        var value = GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
