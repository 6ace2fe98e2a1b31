namespace StarGuide.Testing.Tests;

public sealed class MissingExecutableMessageTests
{
    [Fact]
    public void RabbitMq_message_names_what_is_missing_and_every_fix()
    {
        var message = LocalExecutables.MissingExecutableMessage(
            "RabbitMQ",
            "STARGUIDE_TEST_RABBITMQ",
            "rabbitmq-server",
            [("/usr/lib/rabbitmq/bin/rabbitmq-server", null), ("epmd (on PATH, from Erlang)", "/usr/bin/epmd")],
            "Docker is either not running or misconfigured");

        Assert.Contains("/usr/lib/rabbitmq/bin/rabbitmq-server is missing", message, StringComparison.Ordinal);
        Assert.DoesNotContain("epmd", message, StringComparison.Ordinal);
        Assert.Contains("Docker is either not running or misconfigured", message, StringComparison.Ordinal);
        Assert.EndsWith(
            "set STARGUIDE_TEST_RABBITMQ, or start Docker, or install rabbitmq-server: apt-get install -y rabbitmq-server",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_message_names_what_is_missing_and_every_fix()
    {
        var message = LocalExecutables.MissingExecutableMessage(
            "Redis",
            "STARGUIDE_TEST_REDIS",
            "redis-server",
            [("redis-server (on PATH)", null)],
            dockerUnavailableReason: null);

        Assert.Contains("redis-server (on PATH) is missing", message, StringComparison.Ordinal);
        Assert.Contains("STARGUIDE_TEST_REDIS is not set", message, StringComparison.Ordinal);
        Assert.EndsWith(
            "set STARGUIDE_TEST_REDIS, or start Docker, or install redis-server: apt-get install -y redis-server",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Message_lists_every_missing_executable()
    {
        var message = LocalExecutables.MissingExecutableMessage(
            "RabbitMQ",
            "STARGUIDE_TEST_RABBITMQ",
            "rabbitmq-server",
            [("/usr/lib/rabbitmq/bin/rabbitmq-server", null), ("epmd (on PATH, from Erlang)", null)],
            dockerUnavailableReason: null);

        Assert.Contains(
            "/usr/lib/rabbitmq/bin/rabbitmq-server and epmd (on PATH, from Erlang) are missing",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_missing_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => LocalExecutables.MissingExecutableMessage(
            "Redis", "STARGUIDE_TEST_REDIS", "redis-server", [("redis-server (on PATH)", "/usr/bin/redis-server")], null));
    }

    [Fact]
    public void FindOnPath_returns_null_for_an_executable_that_is_not_there()
    {
        Assert.Null(LocalExecutables.FindOnPath("starguide-no-such-executable", "/usr/bin:/bin"));
        Assert.Equal("/bin/sh", LocalExecutables.FindOnPath("sh", "/nonexistent:/bin"));
    }
}
