namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>Writes an argument list the way a reader would type it in a shell, for error messages and logs only.</summary>
internal static class CommandLine
{
    public static string Format(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./_-".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
