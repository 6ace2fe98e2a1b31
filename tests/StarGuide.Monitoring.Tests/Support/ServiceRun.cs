using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace StarGuide.Monitoring.Tests.Support;

/// <summary>
/// A process run for a test (a built service, or Prometheus), its output kept for failure messages. Disposing stops it:
/// SIGTERM, then SIGKILL after 20 s.
/// </summary>
internal sealed class ServiceRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceRun(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Runs <c>dotnet</c> on a built service of this repository with settings as environment variables.</summary>
    public static ServiceRun StartService(string name, string projectDirectory, string assemblyName, string urls,
        IReadOnlyDictionary<string, string> settings)
    {
        var assembly = StarGuide.Testing.ServiceProcess.BuiltAssembly(projectDirectory, assemblyName);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = urls,
            // Not Production: its appsettings hold the seed's hosts and paths.
            ["DOTNET_ENVIRONMENT"] = "Testing",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var (key, value) in StarGuide.Testing.TestManagement.EnvironmentVariables)
        {
            environment[key] = value!;
        }
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return Start(name, "dotnet", [assembly], Path.GetDirectoryName(assembly)!, environment);
    }

    public static ServiceRun Start(string name, string fileName, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var run = new ServiceRun(name, process);
        process.OutputDataReceived += (_, e) => run.Add(e.Data);
        process.ErrorDataReceived += (_, e) => run.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    public string Tail(int lines = 40) => $"--- {Name} ---\n" + string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 2000 && _output.TryDequeue(out _))
            {
            }
        }
    }
}
