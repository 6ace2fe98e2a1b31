namespace StarGuide.Testing.Tests;

/// <summary>Reads /proc to tell whether a PID still belongs to a live process.</summary>
internal static class ProcessState
{
    /// <summary>
    /// False when the PID is gone, or is a zombie (dead, only waiting to be reaped by a parent that is not
    /// ours: it holds no port and no file).
    /// </summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // Format: "pid (comm) state ...": comm may contain spaces and parentheses, so read after the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Live processes still working in a StarGuide.Testing data folder that has been deleted: what a start
    /// or dispose that forgot a process would leave. Other tests' servers (folder still there) do not count.
    /// </summary>
    internal static IReadOnlyList<string> OrphansOfDeletedDataDirectories()
    {
        var orphans = new List<string>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget;
                if (cwd is not null
                    && cwd.StartsWith(ScratchDirectory.Root, StringComparison.Ordinal)
                    && cwd.EndsWith(" (deleted)", StringComparison.Ordinal)
                    && IsAlive(pid))
                {
                    orphans.Add($"{pid} in {cwd}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to inspect.
            }
        }

        return orphans;
    }
}
