namespace StarGuide.AppHost.Backups;

internal static class BackupSourcesExtensions
{
    /// <summary>
    /// Locally the backup service backs up what stands in for the seed's three paths: the sample backend's and
    /// frontend's folders (without build output) and the gateway's configuration, into <c>src/AppHost/.data/backups</c>;
    /// restores over HTTP may write into <c>src/AppHost/.data/restores</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalBackupSources(
        this IResourceBuilder<ProjectResource> service, string appHostDirectory)
    {
        var repository = Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".."));
        string[] sources =
        [
            Path.Combine(repository, "samples", "SampleBackend"),
            Path.Combine(repository, "samples", "SampleFrontend"),
            Path.Combine(repository, "src", "Gateway", "appsettings.json"),
        ];
        for (var i = 0; i < sources.Length; i++)
        {
            service.WithEnvironment($"Backup__Sources__{i}__Path", sources[i])
                .WithEnvironment($"Backup__Sources__{i}__Excludes__0", "bin")
                .WithEnvironment($"Backup__Sources__{i}__Excludes__1", "obj");
        }
        return service.WithEnvironment("Backup__Destination", Path.Combine(appHostDirectory, ".data", "backups"))
            .WithEnvironment("Backup__Restore__Root", Path.Combine(appHostDirectory, ".data", "restores"));
    }
}
