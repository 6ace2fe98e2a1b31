using System.Diagnostics;
using StarGuide.Testing;

namespace StarGuide.Monitoring.Tests.Support;

/// <summary>
/// Debian's <c>promtool</c> (package <c>prometheus</c>; .ci/run installs it). Absent only on a machine where it was not
/// installed: the tests then skip and say how to install it (<see cref="Need.Prometheus"/>; they fail instead where the
/// run requires it, as CI does).
/// </summary>
internal static class Promtool
{
    public const string MissingReason =
        "promtool or prometheus is not installed: apt-get install -y prometheus (Debian's package; .ci/run installs it in CI)";

    public static string? Executable { get; } = Find("promtool");

    public static string? Prometheus { get; } = Find("prometheus");

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException(MissingReason))
        {
            WorkingDirectory = Repository.PrometheusDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => System.IO.Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
