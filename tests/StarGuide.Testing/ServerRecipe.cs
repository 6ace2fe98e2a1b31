using DotNet.Testcontainers.Configurations;

namespace StarGuide.Testing;

/// <summary>How one kind of server is had from each source; <see cref="ServerResolution"/> picks the source.</summary>
/// <param name="Kind">Names for messages.</param>
/// <param name="Image">The project's image for a container.</param>
/// <param name="Executables">What a local process needs: what was looked for, and the path found or null.</param>
/// <param name="FromEnvironment">The server named by the environment variable's value.</param>
/// <param name="StartLocalAsync">Starts a local process (only called when every executable was found).</param>
/// <param name="StartContainerAsync">Starts a container on the engine (only called when it has the image).</param>
internal sealed record ServerRecipe<TServer>(
    ServerKind Kind,
    string Image,
    IReadOnlyList<(string LookedFor, string? ResolvedPath)> Executables,
    Func<string, TServer> FromEnvironment,
    Func<CancellationToken, Task<TServer>> StartLocalAsync,
    Func<IDockerEndpointAuthenticationConfiguration, CancellationToken, Task<TServer>> StartContainerAsync);
