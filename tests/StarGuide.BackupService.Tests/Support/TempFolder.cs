namespace StarGuide.BackupService.Tests.Support;

/// <summary>A folder under the temp directory for one test, deleted on dispose (also when the test failed).</summary>
internal sealed class TempFolder : IDisposable
{
    private TempFolder(string path) => Path = path;

    public string Path { get; }

    public static TempFolder Create(string purpose)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starguide-backup-tests", $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)]);
        Directory.CreateDirectory(path);
        return new TempFolder(path);
    }

    /// <summary>A path inside the folder (not created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder a test could not delete stays in the temp directory; it must not fail the test.
        }
    }
}
