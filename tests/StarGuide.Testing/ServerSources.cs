namespace StarGuide.Testing;

/// <summary>The values of <c>Source</c> on <see cref="RabbitMqServer"/> and <see cref="RedisServer"/>.</summary>
public static class ServerSources
{
    /// <summary>An already running server named by STARGUIDE_TEST_RABBITMQ or STARGUIDE_TEST_REDIS.</summary>
    public const string Environment = "environment";

    /// <summary>A container started through Testcontainers because Docker answered.</summary>
    public const string Testcontainers = "testcontainers";

    /// <summary>A server executable started by this library as a child process on free ports.</summary>
    public const string LocalProcess = "local-process";
}
