namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>Which engine the driver talks to: the configured endpoint, else <c>DOCKER_HOST</c>, else the default socket.</summary>
internal static class DockerEndpoint
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    private static readonly string[] _schemes = ["unix", "tcp", "http", "npipe"];

    public static string Resolve(DockerDriverOptions options) =>
        options.Endpoint.Length > 0 ? options.Endpoint
        : System.Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultSocket;

    /// <summary>Why <paramref name="endpoint"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && _schemes.Contains(uri.Scheme)
            ? null
            : $"'{endpoint}' is not a Docker endpoint (unix:///path/docker.sock, tcp://host:port or npipe://./pipe/name; TLS is not supported).";
}
