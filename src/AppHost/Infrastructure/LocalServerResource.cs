namespace StarGuide.AppHost.Infrastructure;

/// <summary>A server run as a local executable (no container runtime) that services reach by connection string.</summary>
internal sealed class LocalServerResource(string name, string command, string workingDirectory, ReferenceExpression connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression { get; } = connectionString;
}
