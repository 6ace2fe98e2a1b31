namespace StarGuide.Testing;

/// <summary>What the resolution's messages say about one kind of server.</summary>
/// <param name="Name">Human name, e.g. "RabbitMQ".</param>
/// <param name="EnvironmentVariable">The variable that names a running server to use.</param>
/// <param name="DebianPackage">The package with the executables for a local process.</param>
internal sealed record ServerKind(string Name, string EnvironmentVariable, string DebianPackage);
