using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

/// <summary>
/// Debian's HAProxy running the compose stack's docker-proxy configuration (deploy/images/docker-proxy/haproxy.cfg) in
/// front of the engine the tests use, its two sockets in a folder of its own; stopped (and the folder removed) on dispose.
/// </summary>
internal sealed class DockerProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _directory;

    private DockerProxy(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public static string ConfigurationFile { get; } = Path.Combine(RepositoryRoot(), "deploy", "images", "docker-proxy", "haproxy.cfg");

    public string ScalerSocket => Path.Combine(_directory, "scaler.sock");

    public string DiscoverySocket => Path.Combine(_directory, "discovery.sock");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Why the proxy cannot run here (no haproxy, or an engine that is not a local socket), or null.</summary>
    public static (Need Need, string Problem)? Problem(string engineEndpoint) =>
        !File.Exists("/usr/sbin/haproxy") ? (Need.Haproxy, "/usr/sbin/haproxy is missing: apt-get install haproxy")
        : !engineEndpoint.StartsWith("unix://", StringComparison.Ordinal) ? (Need.Docker, $"the engine at {engineEndpoint} is not a unix socket, which the proxy's configuration expects")
        : null;

    public static async Task<DockerProxy> StartAsync(string engineEndpoint, string poolsNetwork)
    {
        var directory = Directory.CreateTempSubdirectory("starguide-docker-proxy-").FullName;
        var start = new ProcessStartInfo("/usr/sbin/haproxy", ["-db", "-f", ConfigurationFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOCKER_PROXY_SCALER_SOCKET"] = Path.Combine(directory, "scaler.sock");
        start.Environment["DOCKER_PROXY_DISCOVERY_SOCKET"] = Path.Combine(directory, "discovery.sock");
        start.Environment["DOCKER_PROXY_ENGINE"] = new Uri(engineEndpoint).LocalPath;
        start.Environment["DOCKER_PROXY_NETWORK"] = poolsNetwork;
        var proxy = new DockerProxy(Process.Start(start)!, directory);
        proxy._process.OutputDataReceived += (_, e) => proxy.Append(e.Data);
        proxy._process.ErrorDataReceived += (_, e) => proxy.Append(e.Data);
        proxy._process.BeginOutputReadLine();
        proxy._process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(proxy.ScalerSocket) || !File.Exists(proxy.DiscoverySocket))
        {
            if (proxy._process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"haproxy did not open its sockets: {proxy.Log}");
            }
            await Task.Delay(20);
        }
        return proxy;
    }

    /// <summary>A client of one of the proxy's sockets, for what the driver would never send.</summary>
    public static HttpClient Client(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
            return new NetworkStream(connection, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri("http://docker/"),
        Timeout = TimeSpan.FromSeconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StarGuide.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"StarGuide.sln not found above {AppContext.BaseDirectory}.");
    }
}
