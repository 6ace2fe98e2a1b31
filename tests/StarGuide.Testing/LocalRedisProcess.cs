using System.Globalization;

namespace StarGuide.Testing;

/// <summary>
/// redis-server run in the foreground as our child (not --daemonize), so its PID is ours to stop and kill.
/// </summary>
internal sealed class LocalRedisProcess : IOwnedServer
{
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(5);

    private readonly string _redisServer;
    private readonly string? _redisCli;
    private readonly OutputRingBuffer _output = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ChildProcess? _process;
    private bool _disposed;

    private LocalRedisProcess(string redisServer, string? redisCli, int port, string dataDirectory)
    {
        _redisServer = redisServer;
        _redisCli = redisCli;
        Port = port;
        DataDirectory = dataDirectory;
    }

    internal int Port { get; }

    internal string DataDirectory { get; }

    internal string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>PID of the running redis-server, or null while stopped.</summary>
    internal int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts redis-server on a free port and waits for PING; cleans up everything if that fails.</summary>
    internal static async Task<LocalRedisProcess> StartAsync(string redisServer, string? redisCli, CancellationToken cancellationToken)
    {
        var server = new LocalRedisProcess(redisServer, redisCli, FreePort.Next(), ScratchDirectory.Create(ScratchDirectory.NewId()));
        return await IOwnedServer.StartOrDisposeAsync(server, s => s.StartAgainAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Starts redis-server again on the same port and folder (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is { HasExited: false })
            {
                throw new InvalidOperationException($"Redis on port {Port} is already running; call StopAsync first.");
            }

            _process?.Dispose();
            _output.Add($"--- starting redis-server on port {Port} ---");
            _process = ChildProcess.Start(
                _redisServer,
                [
                    "--port", Port.ToString(CultureInfo.InvariantCulture),
                    "--bind", "127.0.0.1",
                    "--dir", DataDirectory,
                    "--pidfile", Path.Combine(DataDirectory, "redis.pid"),
                    // Nothing to persist: a restart is meant to look like a fresh, empty cache.
                    "--save", string.Empty,
                    "--appendonly", "no",
                    "--daemonize", "no",
                ],
                DataDirectory,
                new Dictionary<string, string?>(),
                _output);
            try
            {
                await Readiness.WaitAsync($"redis-server on port {Port}", _process, _output, ct => ServerProbes.RedisPingAsync(Port, password: null, ct), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Never leave a half-started server behind a failed start.
                await _process.KillTreeAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops redis-server (shutdown nosave, then kill); the port and folder stay reserved for a restart.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                await StopCoreAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Dispose must not throw; StopCoreAsync already fell back to killing.
                _output.Add($"--- stop failed: {ex.Message} ---");
            }

            _process?.Dispose();
            _process = null;
            await ScratchDirectory.DeleteAsync(DataDirectory).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopCoreAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        if (_redisCli is not null)
        {
            await RunRedisCliShutdownAsync(_redisCli).ConfigureAwait(false);
            if (await _process.WaitForExitAsync(_stopTimeout).ConfigureAwait(false))
            {
                return;
            }
        }

        // No redis-cli, or it did not get through: the data is throwaway, so a kill loses nothing.
        await _process.KillTreeAsync().ConfigureAwait(false);
    }

    private async Task RunRedisCliShutdownAsync(string redisCli)
    {
        using var cli = ChildProcess.Start(
            redisCli,
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "shutdown", "nosave"],
            DataDirectory,
            new Dictionary<string, string?>(),
            _output);
        if (!await cli.WaitForExitAsync(_stopTimeout).ConfigureAwait(false))
        {
            await cli.KillTreeAsync().ConfigureAwait(false);
        }
    }
}
