namespace StarGuide.Testing;

/// <summary>Per-server data folders under the temp directory, removed on dispose.</summary>
internal static class ScratchDirectory
{
    internal static string Root => Path.Combine(Path.GetTempPath(), "starguide-tests");

    /// <summary>A random id that is short: it also ends up in Erlang node names.</summary>
    internal static string NewId() => Guid.NewGuid().ToString("N")[..12];

    internal static string Create(string id)
    {
        var path = Path.Combine(Root, id);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes the folder; never throws, because it runs from DisposeAsync.</summary>
    internal static async Task DeleteAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A server that was just killed may still be closing files; give it a moment.
                if (attempt == 5)
                {
                    return;
                }

                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }
}
