namespace StarGuide.Monitoring.Tests.Support;

/// <summary>A folder of the test's own under the temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string name)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starguide-monitoring-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that just stopped may still hold a file; the temp folder is cleaned by the OS eventually.
        }
    }
}
