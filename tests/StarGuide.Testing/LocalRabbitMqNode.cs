using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Testing;

/// <summary>
/// A RabbitMQ node of its own: own node name, ports, Erlang cookie, data folder and epmd, started from the
/// Debian package's scripts as our child process so it can be stopped, restarted and killed by PID. It has the
/// project's broker users (<see cref="BrokerUsers"/>), each with a password of its own made up here, and guest/guest
/// as its administrator.
/// </summary>
internal sealed class LocalRabbitMqNode : IOwnedServer
{
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(15);

    private readonly string _serverScript;
    private readonly string? _ctlScript;
    private readonly string _epmdExecutable;
    private readonly OutputRingBuffer _output = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ClusterMember? _member;
    private ChildProcess? _epmd;
    private ChildProcess? _node;
    private bool _disposed;

    private LocalRabbitMqNode(string serverScript, string? ctlScript, string epmdExecutable, string id, string dataDirectory, ClusterMember? member = null)
    {
        _serverScript = serverScript;
        _ctlScript = ctlScript;
        _epmdExecutable = epmdExecutable;
        _member = member;
        NodeName = member?.NodeName ?? NodeNameOf(id);
        DataDirectory = dataDirectory;
        var ports = DistinctFreePorts(3);
        AmqpPort = ports[0];
        DistributionPort = ports[1];
        EpmdPort = member?.EpmdPort ?? ports[2];
        AmqpUri = new Uri($"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/");
        Passwords = member?.Passwords ?? BrokerUsers.All.ToDictionary(u => u, _ => RandomNumberGenerator.GetHexString(24, lowercase: true));
    }

    /// <summary>The password of each of <see cref="BrokerUsers.All"/>.</summary>
    internal IReadOnlyDictionary<string, string> Passwords { get; }

    internal string NodeName { get; }

    internal string DataDirectory { get; }

    internal int AmqpPort { get; }

    internal int DistributionPort { get; }

    internal int EpmdPort { get; }

    internal Uri AmqpUri { get; }

    /// <summary>PID of the Erlang VM (from RABBITMQ_PID_FILE) once the node was ready.</summary>
    internal int? BeamProcessId { get; private set; }

    /// <summary>Every process of ours that may still be running: launcher script, Erlang VM, epmd.</summary>
    internal IReadOnlyList<int> ProcessIds
    {
        get
        {
            var ids = new List<int>();
            if (_node is { } node)
            {
                ids.Add(node.Id);
            }

            if (BeamProcessId is { } beam)
            {
                ids.Add(beam);
            }

            if (_epmd is { } epmd)
            {
                ids.Add(epmd.Id);
            }

            return ids;
        }
    }

    private string HomeDirectory => Path.Combine(DataDirectory, "home");

    private string PidFile => Path.Combine(DataDirectory, "rabbitmq.pid");

    internal static async Task<LocalRabbitMqNode> StartAsync(string serverScript, string? ctlScript, string epmdExecutable, CancellationToken cancellationToken)
    {
        var id = ScratchDirectory.NewId();
        var node = new LocalRabbitMqNode(serverScript, ctlScript, epmdExecutable, id, ScratchDirectory.Create(id));
        return await IOwnedServer.StartOrDisposeAsync(
            node,
            async n =>
            {
                n.WriteConfiguration();
                await n.StartEpmdAsync(cancellationToken).ConfigureAwait(false);
                await n.StartAgainAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one node of a cluster (<see cref="RabbitMqCluster"/>): the cluster's epmd, cookie and passwords, and the
    /// other nodes as its peers (classic config peer discovery: it joins those that run).
    /// </summary>
    internal static async Task<LocalRabbitMqNode> StartClusterMemberAsync(
        string serverScript, string? ctlScript, string epmdExecutable, ClusterMember member, CancellationToken cancellationToken)
    {
        var id = ScratchDirectory.NewId();
        var node = new LocalRabbitMqNode(serverScript, ctlScript, epmdExecutable, id, ScratchDirectory.Create(id), member);
        return await IOwnedServer.StartOrDisposeAsync(
            node,
            async n =>
            {
                n.WriteConfiguration();
                await n.StartAgainAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    internal static string NodeNameOf(string id) => $"sgtest-{id}@localhost";

    /// <summary>Kills the node's Erlang VM with SIGKILL, as a crash would: no clean shutdown, no goodbye to its peers.</summary>
    internal async Task KillAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _output.Add($"--- SIGKILL to node {NodeName} ---");
            if (BeamProcessId is { } beam)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(beam);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
            if (_node is { } node)
            {
                await node.KillTreeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs rabbitmqctl against this node (e.g. <c>await_online_nodes 3</c>); true when it exits with 0.</summary>
    internal async Task<bool> ControlAsync(TimeSpan timeout, params string[] arguments)
    {
        if (_ctlScript is null)
        {
            return false;
        }
        using var ctl = ChildProcess.Start(_ctlScript, ["-n", NodeName, .. arguments], DataDirectory, CtlEnvironment(), _output);
        if (!await ctl.WaitForExitAsync(timeout).ConfigureAwait(false))
        {
            await ctl.KillTreeAsync().ConfigureAwait(false);
            return false;
        }
        return ctl.ExitDescription.EndsWith("code 0", StringComparison.Ordinal);
    }

    /// <summary>The node's last output lines, for failure messages.</summary>
    internal string Tail() => _output.Tail();

    /// <summary>Starts the node on the same ports and data folder; returns once AMQP accepts a connection.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_node is { HasExited: false })
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} is already running; call StopAsync first.");
            }

            _node?.Dispose();
            BeamProcessId = null;
            File.Delete(PidFile);
            _output.Add($"--- starting RabbitMQ node {NodeName} on {AmqpUri} ---");
            _node = ChildProcess.Start(_serverScript, [], DataDirectory, ServerEnvironment(), _output);
            try
            {
                await Readiness.WaitAsync($"RabbitMQ node {NodeName} ({AmqpUri})", _node, _output, ct => ServerProbes.AmqpAsync(AmqpUri, ct), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch
            {
                // Never leave a half-started node behind a failed start.
                await _node.KillTreeAsync().ConfigureAwait(false);
                throw;
            }

            BeamProcessId = ReadPidFile();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the node (rabbitmqctl stop, then kill after 15 s); epmd, ports and data stay for a restart.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopNodeAsync().ConfigureAwait(false);
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
                await StopNodeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Dispose must not throw; the kill below still runs.
                _output.Add($"--- stop failed: {ex.Message} ---");
            }

            if (_node is { } node)
            {
                await node.KillTreeAsync().ConfigureAwait(false);
                node.Dispose();
            }

            // epmd goes last: rabbitmqctl needs it to find the node.
            if (_epmd is { } epmd)
            {
                await epmd.KillTreeAsync().ConfigureAwait(false);
                epmd.Dispose();
            }

            await ScratchDirectory.DeleteAsync(DataDirectory).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Free ports that differ: the OS may hand out a just-released port again.</summary>
    private static int[] DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }

        return [.. ports];
    }

    private void WriteConfiguration()
    {
        // The paths and scripts are the Debian package's; there is no such node to start elsewhere.
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A local RabbitMQ node needs Linux with the rabbitmq-server package.");
        }

        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(Path.Combine(DataDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(DataDirectory, "log"));

        // The node and rabbitmqctl authenticate to each other with $HOME/.erlang.cookie; Erlang refuses a
        // cookie that others can read, hence 0400.
        var cookiePath = Path.Combine(HomeDirectory, ".erlang.cookie");
        File.WriteAllText(cookiePath, _member?.Cookie ?? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20));
        File.SetUnixFileMode(cookiePath, UnixFileMode.UserRead);

        // No plugins: the management plugin alone adds seconds to every start.
        File.WriteAllText(Path.Combine(DataDirectory, "enabled_plugins"), "[].\n");

        // The Erlang distribution port listens on 0.0.0.0 unless told otherwise.
        File.WriteAllText(Path.Combine(DataDirectory, "advanced.config"), "[{kernel, [{inet_dist_use_interface, {127,0,0,1}}]}].\n");

        // Our own (empty) env file and config, so /etc/rabbitmq settings of the machine do not leak in.
        File.WriteAllText(Path.Combine(DataDirectory, "rabbitmq-env.conf"), string.Empty);
        // The project's users and permissions, loaded at every start (restarts keep the same passwords).
        var definitions = Path.Combine(DataDirectory, "definitions.json");
        File.WriteAllText(definitions, BrokerUsers.Definitions("guest", "guest", Passwords));
        File.WriteAllText(
            Path.Combine(DataDirectory, "rabbitmq.conf"),
            "# Written by StarGuide.Testing for a throwaway test node.\n"
            + "# A nearly full /tmp must not block publishers with a disk alarm in the middle of a test.\n"
            + "disk_free_limit.absolute = 1MB\n"
            + $"load_definitions = {definitions}\n"
            + ClusterConfiguration());
    }

    /// <summary>The peers of a cluster member, found by classic config peer discovery (as the compose profile `ha` does).</summary>
    private string ClusterConfiguration()
    {
        if (_member is null)
        {
            return string.Empty;
        }
        var lines = new System.Text.StringBuilder("cluster_formation.peer_discovery_backend = classic_config\n");
        for (var i = 0; i < _member.Peers.Count; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"cluster_formation.classic_config.nodes.{i + 1} = {_member.Peers[i]}\n");
        }
        return lines.ToString();
    }

    private async Task StartEpmdAsync(CancellationToken cancellationToken)
    {
        _output.Add($"--- starting epmd on port {EpmdPort} ---");
        _epmd = ChildProcess.Start(
            _epmdExecutable,
            ["-port", EpmdPort.ToString(CultureInfo.InvariantCulture)],
            DataDirectory,
            new Dictionary<string, string?> { ["ERL_EPMD_ADDRESS"] = "127.0.0.1" },
            _output);
        await Readiness.WaitAsync($"epmd on port {EpmdPort}", _epmd, _output, ct => ServerProbes.TcpAsync(EpmdPort, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task StopNodeAsync()
    {
        if (_node is null || _node.HasExited)
        {
            return;
        }

        var deadline = DateTime.UtcNow + _stopTimeout;
        if (_ctlScript is not null)
        {
            _output.Add($"--- rabbitmqctl -n {NodeName} stop ---");
            using var ctl = ChildProcess.Start(_ctlScript, ["-n", NodeName, "stop"], DataDirectory, CtlEnvironment(), _output);
            if (!await ctl.WaitForExitAsync(_stopTimeout).ConfigureAwait(false))
            {
                await ctl.KillTreeAsync().ConfigureAwait(false);
            }
        }

        var remaining = deadline - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero && await _node.WaitForExitAsync(remaining).ConfigureAwait(false))
        {
            return;
        }

        _output.Add($"--- node {NodeName} still running after {_stopTimeout.TotalSeconds:0} s: killing it ---");
        await _node.KillTreeAsync().ConfigureAwait(false);
    }

    /// <summary>Environment shared by the node and rabbitmqctl: same HOME (cookie), epmd and env file.</summary>
    private Dictionary<string, string?> CommonEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);

        // A developer's own RABBITMQ_*/ERL_* settings would point the test node at their broker's files.
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("RABBITMQ_", StringComparison.Ordinal) || key.StartsWith("ERL_", StringComparison.Ordinal))
            {
                environment[key] = null;
            }
        }

        environment["HOME"] = HomeDirectory;
        environment["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture);
        // With RABBITMQ_DIST_PORT this also keeps the node's distribution port on loopback (not 0.0.0.0).
        environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(DataDirectory, "rabbitmq-env.conf");
        environment["RABBITMQ_NODENAME"] = NodeName;
        return environment;
    }

    private Dictionary<string, string?> ServerEnvironment()
    {
        var environment = CommonEnvironment();
        environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        environment["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(DataDirectory, "mnesia");
        environment["RABBITMQ_LOG_BASE"] = Path.Combine(DataDirectory, "log");

        // Log to stdout, which lands in the ring buffer that failure messages quote.
        environment["RABBITMQ_LOGS"] = "-";
        environment["RABBITMQ_PID_FILE"] = PidFile;
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(DataDirectory, "enabled_plugins");
        environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(DataDirectory, "rabbitmq.conf");
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(DataDirectory, "advanced.config");
        return environment;
    }

    private Dictionary<string, string?> CtlEnvironment()
    {
        var environment = CommonEnvironment();

        // rabbitmqctl is itself a short-lived Erlang node; by default it takes a port from 35672-35682,
        // which parallel test nodes would share. One free port of its own avoids that.
        var ctlPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        environment["RABBITMQ_CTL_DIST_PORT_MIN"] = ctlPort;
        environment["RABBITMQ_CTL_DIST_PORT_MAX"] = ctlPort;
        return environment;
    }

    private int? ReadPidFile()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            // Only used to report and check PIDs; the node works without it.
            return null;
        }
    }
}
