using System.ComponentModel;
using System.Diagnostics;

namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>
/// Runs <c>systemctl</c> directly (argument list, no shell, so unit names and patterns are passed as they are),
/// with <c>--user</c> first when configured, a timeout, and its output captured.
/// </summary>
internal sealed class Systemctl(SystemdDriverOptions options, TimeProvider time)
{
    /// <summary>Runs the command; throws <see cref="InstanceDriverException"/> if it cannot start or outlives <see cref="SystemdDriverOptions.CommandTimeout"/>.</summary>
    public async Task<SystemctlResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        await TryRunAsync(arguments, options.CommandTimeout, cancellationToken).ConfigureAwait(false)
        ?? throw new InstanceDriverException(
            $"`{CommandLine.Format(BuildArguments(arguments))}` did not finish within {options.CommandTimeout} and was killed.");

    /// <summary>Runs the command; <c>null</c> when it outlived <paramref name="timeout"/> (it is killed then).</summary>
    public async Task<SystemctlResult?> TryRunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var argv = BuildArguments(arguments);
        var command = CommandLine.Format(argv);
        var startInfo = new ProcessStartInfo(options.SystemctlPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in argv[1..])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new System.Diagnostics.Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InstanceDriverException($"Could not run `{command}`: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }

        return new SystemctlResult(command, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private string[] BuildArguments(IReadOnlyList<string> arguments) =>
        [options.SystemctlPath, .. options.User ? ["--user"] : Array.Empty<string>(), .. arguments];
}
