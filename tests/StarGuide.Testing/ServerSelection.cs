namespace StarGuide.Testing;

/// <summary>Which sources the resolution may use: the value of STARGUIDE_TEST_SERVERS.</summary>
internal enum ServerSelection
{
    /// <summary>STARGUIDE_TEST_RABBITMQ/REDIS, else local processes, else containers (the default).</summary>
    Auto,

    /// <summary>Local processes from the Debian packages only.</summary>
    Local,

    /// <summary>Testcontainers with the project's own images only.</summary>
    Containers,
}
