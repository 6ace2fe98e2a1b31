using System.Globalization;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>A process's CPU time (user + system) from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of the stat file's times: USER_HZ, 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read(string handle)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{handle}/stat");
            // Fields after the command name (in parentheses, which may hold spaces): state is field 3; utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
