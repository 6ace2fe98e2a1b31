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
}
