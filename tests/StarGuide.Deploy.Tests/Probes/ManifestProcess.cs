using System.Collections.Concurrent;
using System.Diagnostics;
using StarGuide.Testing;

namespace StarGuide.Deploy.Tests.Probes;

/// <summary>
/// A service's built assembly run as its container would run it: <c>dotnet X.dll</c> in its output folder with only
/// the manifest's environment (plus what <c>dotnet</c> itself needs), so that nothing of the test runner's environment
/// configures it. Killed with its process tree on dispose.
/// </summary>
internal sealed class ManifestProcess : IAsyncDisposable
{
    private static readonly string[] Inherited = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"];

    // A test host stopped before its fixtures are disposed (Ctrl+C, a hang timeout) must not leave services running.
    private static readonly ConcurrentDictionary<Process, byte> Live = new();

    static ManifestProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Live.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    };
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ManifestProcess(Process process) => _process = process;

    public static ManifestProcess Start(string projectDirectory, string assemblyName, IReadOnlyDictionary<string, string> environment)
    {
        var assembly = ServiceProcess.BuiltAssembly(projectDirectory, assemblyName);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(assembly);
        start.Environment.Clear();
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var running = new ManifestProcess(process);
        process.OutputDataReceived += (_, e) => running.Add(e.Data);
        process.ErrorDataReceived += (_, e) => running.Add(e.Data);
        process.Start();
        Live.TryAdd(process, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return running;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The CPU time (user and system, all threads) it has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines it printed, for a failure message.</summary>
    public string Tail => string.Join("\n", _output.TakeLast(40));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Live.TryRemove(_process, out _);
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}
