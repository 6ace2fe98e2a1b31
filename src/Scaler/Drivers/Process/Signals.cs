using System.Runtime.InteropServices;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>POSIX signals, which .NET's <c>Process</c> cannot send (its <c>Kill</c> is SIGKILL only).</summary>
internal static partial class Signals
{
    public const int Term = 15;
    public const int Kill = 9;

    /// <summary>Sends <paramref name="signal"/>; false when the process does not exist (any more).</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
