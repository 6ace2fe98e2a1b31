namespace StarGuide.Testing;

/// <summary>
/// What the start-up resolution may look at. Exists so tests can drive each branch (environment, Docker,
/// local process) without touching the real process environment, which is shared by parallel tests.
/// </summary>
internal sealed record ResolutionOptions(Func<string, string?> GetEnvironmentVariable, bool TryTestcontainers)
{
    internal const string RabbitMqVariable = "STARGUIDE_TEST_RABBITMQ";
    internal const string RedisVariable = "STARGUIDE_TEST_REDIS";

    internal static ResolutionOptions Default { get; } = new(System.Environment.GetEnvironmentVariable, TryTestcontainers: true);

    /// <summary>The variable's value, or null when it is unset or only white space (treated as unset).</summary>
    internal string? Read(string name)
    {
        var value = GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
