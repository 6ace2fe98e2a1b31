namespace StarGuide.Testing.Tests;

/// <summary>
/// Resolution options that see only the variables given, not the process environment; except the images to use
/// (STARGUIDE_TEST_RABBITMQ_IMAGE, STARGUIDE_TEST_REDIS_IMAGE), which say what the machine has, not what a test drives.
/// </summary>
internal static class TestOptions
{
    internal static ResolutionOptions Local { get; } = With((ResolutionOptions.ServersVariable, "local"));

    internal static ResolutionOptions Containers { get; } = With((ResolutionOptions.ServersVariable, "containers"));

    internal static ResolutionOptions With(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value
            ?? (name is ResolutionOptions.RabbitMqImageVariable or ResolutionOptions.RedisImageVariable ? Environment.GetEnvironmentVariable(name) : null));
}
