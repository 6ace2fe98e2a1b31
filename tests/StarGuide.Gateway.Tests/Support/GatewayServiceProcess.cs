using System.Diagnostics;
using System.Text;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// The built gateway as a separate running process, for settings that are process-wide (the runtime's socket switches
/// cannot be turned on inside the shared test process). Killed on dispose, whatever the test's outcome.
/// </summary>
public sealed class GatewayServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GatewayServiceProcess(Process process, int port, int managementPort)
    {
        _process = process;
        Port = port;
        ManagementPort = managementPort;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        ManagementClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(10) }
            .WithManagementToken(TestManagement.ReadToken);
    }

    public int Port { get; }

    public int ManagementPort { get; }

    public HttpClient Client { get; }

    public HttpClient ManagementClient { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<GatewayServiceProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var assembly = ServiceProcess.BuiltAssembly("src/Gateway", "StarGuide.Gateway");
        var port = FreePort.Next();
        var managementPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Gateway:Management:Port={managementPort}");
        foreach (var argument in TestManagement.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}");
        var gateway = new GatewayServiceProcess(process, port, managementPort);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var alive = await gateway.ManagementClient.GetAsync("/alive");
                    if (alive.IsSuccessStatusCode)
                    {
                        return gateway;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the gateway did not start:\n{gateway.Output}");
                }
                await Task.Delay(200);
            }
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        ManagementClient.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
