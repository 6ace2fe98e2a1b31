using System.Diagnostics;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>A small tmpfs mounted over a folder: a real full disk. Needs root (CAP_SYS_ADMIN); unmounted on dispose.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private readonly string _path;

    private TmpfsMount(string path) => _path = path;

    /// <summary>The mount, or null with the reason when this machine does not allow it.</summary>
    public static TmpfsMount? TryMount(string path, int kilobytes, out string reason)
    {
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        reason = exitCode == 0 ? "" : $"cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): {output.Trim()}";
        return exitCode == 0 ? new TmpfsMount(path) : null;
    }

    public void Dispose() => Run("umount", "-l", _path);

    private static (int ExitCode, string Output) Run(string command, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
