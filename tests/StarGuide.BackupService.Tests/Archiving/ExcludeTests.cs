using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Archiving;

public sealed class ExcludeTests
{
    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "logs/deep/app.log", true)]
    [InlineData("*.log", "app.log.txt", false)]
    [InlineData("node_modules", "web/node_modules", true)]
    [InlineData("cache/*", "cache/a", true)]
    [InlineData("cache/*", "cache/a/b", false)]
    [InlineData("cache/**", "cache/a/b", true)]
    [InlineData("**/tmp", "a/b/tmp", true)]
    [InlineData("**/tmp", "tmp", true)]
    [InlineData("data/?.db", "data/1.db", true)]
    [InlineData("data/?.db", "data/12.db", false)]
    [InlineData("/venv/", "venv", true)]
    public void Glob_matches_relative_paths(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, new ExcludeMatcher([pattern]).IsExcluded(path));

    [Fact]
    public async Task Excluded_files_and_folders_are_not_in_the_archive()
    {
        using var harness = new BackupHarness("excludes", s =>
        {
            s["Backup:Sources:0:Excludes:0"] = "*.log";
            s["Backup:Sources:0:Excludes:1"] = "node_modules";
        });
        SampleTree.Write(harness.Sources, "keep.txt", "keep", (UnixFileMode)0b110_100_100);
        SampleTree.Write(harness.Sources, "logs/app.log", "noise", (UnixFileMode)0b110_100_100);
        SampleTree.Write(harness.Sources, "web/node_modules/lib/index.js", "noise", (UnixFileMode)0b110_100_100);

        var run = await harness.BackupAsync();

        var manifest = await ManifestJson.ReadAsync(BackupFileNames.ManifestPath(run.Archive!), CancellationToken.None);
        var names = manifest.Entries.Select(e => Path.GetRelativePath(harness.Sources.TrimStart('/'), e.Path)).ToList();
        Assert.Equal([".", "keep.txt", "logs", "web"], names);
    }
}
