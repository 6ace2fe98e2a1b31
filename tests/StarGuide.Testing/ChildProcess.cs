using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarGuide.Testing;

/// <summary>
/// A server executable started by this library. Its stdout and stderr are read asynchronously into an
/// <see cref="OutputRingBuffer"/>: a server blocked on a full pipe would look like a server that never
/// became ready.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    // Safety net for a test host that is shut down (Ctrl+C, SIGTERM from a hang timeout) before the
    // fixtures are disposed: without it the servers would outlive the run and hold their ports.
    private static readonly ConcurrentDictionary<ChildProcess, byte> _live = new();

    private readonly Process _process;
    private readonly string _name;

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllLive();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    internal int Id { get; private set; }

    internal bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                // No process is associated any more: it is certainly not running.
                return true;
            }
        }
    }

    internal string ExitDescription => HasExited ? $"{_name} exited with code {SafeExitCode()}" : $"{_name} is still running";

    internal static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        OutputRingBuffer output)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var name = Path.GetFileName(fileName);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => AddLine(output, e.Data);
        process.ErrorDataReceived += (_, e) => AddLine(output, e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        var child = new ChildProcess(process, name) { Id = process.Id };
        _live.TryAdd(child, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The servers never read stdin; closing it keeps them from inheriting the test host's console.
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Waits for the process to end; false when it is still running after <paramref name="timeout"/>.</summary>
    internal async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        // Even for a process known to have exited: this also waits for the rest of its output to be read,
        // which is what an error message about the exit wants to quote.
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // WaitForExitAsync also waits for the output pipes to close, which a stray grandchild can keep
            // open: the process itself having exited is what counts.
            return HasExited;
        }
    }

    /// <summary>Kills the process and everything it started, then waits (bounded) for it to be gone.</summary>
    internal async Task KillTreeAsync()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Part of the tree could not be signalled (already gone); the wait below tells.
            }
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _live.TryRemove(this, out _);
        _process.Dispose();
    }

    private static void AddLine(OutputRingBuffer output, string? line)
    {
        // Null marks the end of the stream, not a line.
        if (line is not null)
        {
            output.Add(line);
        }
    }

    private static void KillAllLive()
    {
        foreach (var child in _live.Keys)
        {
            try
            {
                if (!child.HasExited)
                {
                    child._process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
