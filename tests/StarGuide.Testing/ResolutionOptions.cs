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
    internal const string RabbitMqImageVariable = "STARGUIDE_TEST_RABBITMQ_IMAGE";
    internal const string RedisImageVariable = "STARGUIDE_TEST_REDIS_IMAGE";

    internal static ResolutionOptions Default { get; } = new(System.Environment.GetEnvironmentVariable);

    /// <summary>False: behave as on a machine without the Debian packages' executables.</summary>
    internal bool LookForLocalExecutables { get; init; } = true;

    /// <summary>The Docker engine to use; null: the one Testcontainers finds (DOCKER_HOST, else the default socket).</summary>
    internal Uri? DockerEndpoint { get; init; }

    /// <summary>
    /// The broker's image: STARGUIDE_TEST_RABBITMQ_IMAGE, else the one deploy/build-images.sh builds. Any image that
    /// follows the conventions in docs/deploy.md ("Image conventions") will do; it is never pulled.
    /// </summary>
    internal string RabbitMqImage { get; init; } = ValueOf(GetEnvironmentVariable, RabbitMqImageVariable) ?? "starguide/rabbitmq:local";

    /// <summary>The Redis image: STARGUIDE_TEST_REDIS_IMAGE, else the one deploy/build-images.sh builds; never pulled.</summary>
    internal string RedisImage { get; init; } = ValueOf(GetEnvironmentVariable, RedisImageVariable) ?? "starguide/redis:local";

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
    internal string? Read(string name) => ValueOf(GetEnvironmentVariable, name);

    private static string? ValueOf(Func<string, string?> getEnvironmentVariable, string name)
    {
        var value = getEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
