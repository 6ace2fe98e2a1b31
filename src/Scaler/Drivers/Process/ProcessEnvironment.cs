using System.Globalization;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>
/// The variables the driver sets on every instance it starts. They are its own record of what it started: a
/// restarted scaler finds its instances again by reading them from <c>/proc/&lt;pid&gt;/environ</c>, with no state of its
/// own needed, and never mistakes another process (or another scaler's instance) for one of its own.
/// </summary>
internal static class ProcessEnvironment
{
    public const string Scope = "STARGUIDE_SCOPE";
    public const string Pool = "STARGUIDE_POOL";
    public const string InstanceId = "STARGUIDE_INSTANCE_ID";
    public const string Address = "STARGUIDE_INSTANCE_ADDRESS";
    public const string StartedAt = "STARGUIDE_STARTED_AT";
    public const string Output = "STARGUIDE_OUTPUT";

    /// <summary>Reads a process's environment; null when it is gone, a zombie, or not readable.</summary>
    public static Dictionary<string, string>? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state follows the command name in parentheses, which may itself contain spaces or parentheses.
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            if (state is 'Z' or 'X')
            {
                return null;
            }
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = entry.IndexOf('=');
                if (equals > 0 && entry.StartsWith("STARGUIDE_", StringComparison.Ordinal))
                {
                    variables[entry[..equals]] = entry[(equals + 1)..];
                }
            }
            return variables;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The instance a process is, when it is one of this scope's and pool's; else null.</summary>
    public static RunningInstance? Describe(int pid, Dictionary<string, string> variables, string scope, string pool)
    {
        if (variables.GetValueOrDefault(Scope) != scope || variables.GetValueOrDefault(Pool) != pool
            || !variables.TryGetValue(InstanceId, out var id)
            || !Uri.TryCreate(variables.GetValueOrDefault(Address), UriKind.Absolute, out var address))
        {
            return null;
        }
        var startedAt = long.TryParse(variables.GetValueOrDefault(StartedAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UnixEpoch;
        return new RunningInstance(id, address, pid.ToString(CultureInfo.InvariantCulture), startedAt);
    }
}
