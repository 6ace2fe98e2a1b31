namespace StarGuide.Testing;

/// <summary>
/// Picks where a server comes from, by STARGUIDE_TEST_SERVERS (see <see cref="ServerSelection"/>): the server named
/// by the environment, a local process, or a container of the project's image; or an error naming what is missing.
/// </summary>
internal static class ServerResolution
{
    internal static async Task<TServer> StartAsync<TServer>(ResolutionOptions options, ServerRecipe<TServer> recipe, CancellationToken cancellationToken)
    {
        var kind = recipe.Kind;
        var selection = options.Selection;
        if (options.Read(kind.EnvironmentVariable) is { } named)
        {
            return selection == ServerSelection.Auto
                ? recipe.FromEnvironment(named)
                : throw new InvalidOperationException(
                    $"{ResolutionOptions.ServersVariable}={Value(selection)} asks for servers that the tests start, but "
                    + $"{kind.EnvironmentVariable} names a running one: unset one of the two.");
        }

        var missing = recipe.Executables
            .Where(e => e.ResolvedPath is null || !options.LookForLocalExecutables)
            .Select(e => e.LookedFor)
            .ToList();
        if (selection != ServerSelection.Containers && missing.Count == 0)
        {
            return await recipe.StartLocalAsync(cancellationToken).ConfigureAwait(false);
        }

        if (selection == ServerSelection.Local)
        {
            throw new InvalidOperationException(NoServerMessage(kind, selection, missing, dockerProblem: null));
        }

        var docker = await DockerEngine.CheckAsync(options.DockerEndpoint, recipe.Image, cancellationToken).ConfigureAwait(false);
        return docker.Engine is not null
            ? await recipe.StartContainerAsync(docker.Engine, cancellationToken).ConfigureAwait(false)
            : throw new InvalidOperationException(NoServerMessage(kind, selection, missing, docker.Problem));
    }

    /// <summary>
    /// Why no server can be had, and the fix. Takes what was found missing, so it can be tested without uninstalling
    /// anything.
    /// </summary>
    /// <param name="missing">The local executables not found (empty in containers mode when they are there).</param>
    /// <param name="dockerProblem">Why no container can run (cause and fix); null when the engine was not asked.</param>
    internal static string NoServerMessage(ServerKind kind, ServerSelection selection, IReadOnlyList<string> missing, string? dockerProblem)
    {
        var start = $"Cannot start a {kind.Name} server for the tests: ";
        var install = $"apt-get install -y {kind.DebianPackage}";
        return selection switch
        {
            ServerSelection.Local => start + $"{ResolutionOptions.ServersVariable}=local, but {Missing(missing)}. "
                + $"Fix: {install}, or set {ResolutionOptions.ServersVariable}=containers to use the project's images.",
            ServerSelection.Containers => start + $"{ResolutionOptions.ServersVariable}=containers, but {dockerProblem}.",
            _ => start + $"{kind.EnvironmentVariable} is not set; no local process, because {Missing(missing)} (fix: {install}); "
                + $"no container, because {dockerProblem}. Fix either, or set {kind.EnvironmentVariable} to a running server.",
        };
    }

    /// <summary>
    /// The server when this library started it; otherwise the error for an outage operation on a server it must not stop.
    /// </summary>
    internal static IOwnedServer RequireOwned(IOwnedServer? owned, string operation, ServerKind kind, string source, string address) =>
        owned ?? throw new NotSupportedException(
            $"{operation} works only for a {kind.Name} server that the tests started (a local process or a container); this one "
            + $"comes from '{source}' ({address}) and is not theirs to stop. Unset {kind.EnvironmentVariable} to get one that is.");

    private static string Value(ServerSelection selection) => selection.ToString().ToLowerInvariant();

    private static string Missing(IReadOnlyList<string> missing) =>
        $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} missing";
}
