using System.Globalization;
using System.Security.Cryptography;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Testing;

/// <summary>
/// A RabbitMQ cluster of local nodes (the Debian package's, as <see cref="RabbitMqServer"/> starts one): each with its
/// own node name, AMQP and distribution ports and data folder, sharing one Erlang cookie, one epmd on a free port and the
/// project's broker users. The nodes find each other by classic config peer discovery, as the compose profile `ha` does.
/// Dispose stops every node and removes its data.
/// </summary>
public sealed class RabbitMqCluster : IAsyncDisposable
{
    private static readonly TimeSpan _formationTimeout = TimeSpan.FromSeconds(60);

    private readonly List<LocalRabbitMqNode> _nodes = [];
    private readonly string _epmdDirectory;
    private readonly OutputRingBuffer _epmdOutput = new();
    private ChildProcess? _epmd;
    private IReadOnlyDictionary<string, string> _passwords = new Dictionary<string, string>();
    private int _disposed;

    private RabbitMqCluster(string epmdDirectory) => _epmdDirectory = epmdDirectory;

    /// <summary>Each node's AMQP URI as the administrator (guest/guest), in node order.</summary>
    public IReadOnlyList<Uri> NodeUris => _nodes.Select(n => n.AmqpUri).ToList();

    /// <summary><c>MessageBus:Nodes</c> for a service: every node's <c>127.0.0.1:port</c>, comma-separated, in node order.</summary>
    public string NodesSetting => string.Join(',', _nodes.Select(n => $"127.0.0.1:{n.AmqpPort.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The first node's AMQP URI as <paramref name="user"/> (one of <see cref="BrokerUsers.All"/>): a service's connection string.</summary>
    public string ConnectionStringFor(string user) => BrokerUsers.For(_nodes[0].AmqpUri, user, _passwords[user]).AbsoluteUri;

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes: the first alone, then the others, which join it; returns once every node
    /// runs in one cluster.
    /// </summary>
    /// <exception cref="InvalidOperationException">The Debian package's rabbitmq-server or Erlang's epmd is missing.</exception>
    public static async Task<RabbitMqCluster> StartAsync(int nodeCount = 3, CancellationToken cancellationToken = default)
    {
        var serverScript = LocalExecutables.FindRabbitMqServer();
        var epmd = LocalExecutables.FindEpmd();
        if (serverScript is null || epmd is null)
        {
            throw new InvalidOperationException(
                $"A local RabbitMQ cluster needs {LocalExecutables.RabbitMqServerScript} and epmd: apt-get install -y rabbitmq-server.");
        }
        var id = ScratchDirectory.NewId();
        var cluster = new RabbitMqCluster(ScratchDirectory.Create(id));
        try
        {
            await cluster.StartNodesAsync(serverScript, epmd, nodeCount, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the broker can be started here: the Debian package's server script and epmd exist.</summary>
    public static bool CanStart => LocalExecutables.FindRabbitMqServer() is not null && LocalExecutables.FindEpmd() is not null;

    /// <summary>Kills node <paramref name="index"/>'s Erlang VM with SIGKILL (a crash: no clean shutdown).</summary>
    public Task KillAsync(int index) => _nodes[index].KillAsync();

    /// <summary>Every process of ours that may still be running: each node's launcher and Erlang VM, the shared epmd.</summary>
    internal IReadOnlyList<int> ProcessIds => [.. _nodes.SelectMany(n => n.ProcessIds), .. _epmd is { } epmd ? [epmd.Id] : Array.Empty<int>()];

    /// <summary>The nodes' data folders and the cluster's own (epmd's).</summary>
    internal IReadOnlyList<string> DataDirectories => [.. _nodes.Select(n => n.DataDirectory), _epmdDirectory];

    /// <summary>The last output lines of every node, for failure messages.</summary>
    public string Tail() => string.Join("\n", _nodes.Select(n => $"--- {n.NodeName} ---\n{n.Tail()}"));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // The others first, the first node last; epmd after every node (rabbitmqctl stop finds the nodes through it).
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].DisposeAsync().ConfigureAwait(false);
        }
        if (_epmd is { } epmd)
        {
            await epmd.KillTreeAsync().ConfigureAwait(false);
            epmd.Dispose();
        }
        await ScratchDirectory.DeleteAsync(_epmdDirectory).ConfigureAwait(false);
    }

    private async Task StartNodesAsync(string serverScript, string epmd, int nodeCount, CancellationToken cancellationToken)
    {
        var epmdPort = FreePort.Next();
        _epmd = ChildProcess.Start(
            epmd,
            ["-port", epmdPort.ToString(CultureInfo.InvariantCulture)],
            _epmdDirectory,
            new Dictionary<string, string?> { ["ERL_EPMD_ADDRESS"] = "127.0.0.1" },
            _epmdOutput);
        await Readiness.WaitAsync($"epmd on port {epmdPort}", _epmd, _epmdOutput, ct => ServerProbes.TcpAsync(epmdPort, ct), cancellationToken)
            .ConfigureAwait(false);

        var names = Enumerable.Range(0, nodeCount).Select(_ => LocalRabbitMqNode.NodeNameOf(ScratchDirectory.NewId())).ToList();
        var cookie = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20);
        _passwords = BrokerUsers.All.ToDictionary(u => u, _ => RandomNumberGenerator.GetHexString(24, lowercase: true));
        ClusterMember Member(int i) => new(names[i], [.. names.Where((_, j) => j != i)], cookie, epmdPort, _passwords);
        var ctl = LocalExecutables.FindRabbitMqCtl();

        // The first node alone: started together, each could find no peer running and form a cluster of its own.
        _nodes.Add(await LocalRabbitMqNode.StartClusterMemberAsync(serverScript, ctl, epmd, Member(0), cancellationToken).ConfigureAwait(false));
        var others = Enumerable.Range(1, nodeCount - 1)
            .Select(i => LocalRabbitMqNode.StartClusterMemberAsync(serverScript, ctl, epmd, Member(i), cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(others).ConfigureAwait(false);
        }
        finally
        {
            _nodes.AddRange(others.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
        }

        var count = nodeCount.ToString(CultureInfo.InvariantCulture);
        if (!await _nodes[0].ControlAsync(_formationTimeout, "await_online_nodes", count).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The {nodeCount} RabbitMQ nodes did not form one cluster within {_formationTimeout.TotalSeconds:0} s.\n{Tail()}");
        }
    }
}
