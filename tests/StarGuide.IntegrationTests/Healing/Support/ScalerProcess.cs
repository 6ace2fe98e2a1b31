using System.Collections.Concurrent;
using System.Diagnostics;
using StarGuide.IntegrationTests.Support;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Pools;
using StarGuide.Testing;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// The built scaler run as a real process, as an operator runs it, so that it can be killed with SIGKILL and started
/// again. Its output is kept for assertions and failure messages. Disposing stops it (SIGTERM, then SIGKILL).
/// </summary>
internal sealed class ScalerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ScalerProcess(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) }.WithManagementToken();
    }

    public Uri Address { get; }

    /// <summary>A client of the scaler with the tests' operate token (<see cref="TestManagement"/>).</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public IEnumerable<string> Output => _output;

    public static ScalerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort.Next();
        var assembly = ServiceProcess.BuiltAssembly("src/Scaler", "StarGuide.Scaler");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // Not Production: appsettings.Production.json holds the seed's systemd pools.
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in TestManagement.EnvironmentVariables)
        {
            start.Environment[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the scaler");
        var scaler = new ScalerProcess(process, port);
        process.OutputDataReceived += (_, e) => scaler.Add(e.Data);
        process.ErrorDataReceived += (_, e) => scaler.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return scaler;
    }

    public Task<PoolStatus?> PoolAsync(string pool) => Client.PoolAsync(pool);

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>As <c>kill -9</c>: no shutdown, instances left running.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>As an operator's <c>kill -TERM</c>: returns how long the scaler took to exit, or throws after <paramref name="within"/>.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Signals.Send(_process.Id, Signals.Term);
        using var wait = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the scaler did not exit within {within.TotalSeconds:0.#} s of SIGTERM; its output:\n{Tail()}");
        }
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
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
            }
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
