namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>How one <c>systemctl</c> call ended; <paramref name="Command"/> is the command line, for messages.</summary>
internal sealed record SystemctlResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>An exception that quotes the command, its exit code and what it wrote to stderr.</summary>
    public InstanceDriverException Failure(string? what = null)
    {
        var detail = Stderr.Trim() is { Length: > 0 } stderr ? stderr : Stdout.Trim();
        return new InstanceDriverException(
            $"{what ?? "Command failed"}: `{Command}` exited with code {ExitCode}: {(detail.Length > 0 ? detail : "(no output)")}");
    }
}
