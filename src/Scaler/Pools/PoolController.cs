using System.Threading.Channels;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.StatusPage;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// Owns one pool: a single loop that applies commands (verdicts, scale requests, driver results, ticks) to the pool's
/// state, asks <see cref="PoolPlanner"/> what to do, and has the driver do it in the background, so that a slow start
/// or stop never holds up a verdict. Every membership change gets a new pool version, is published
/// (<c>InstanceStarted</c>, <c>InstanceDraining</c>, <c>InstanceStopped</c>, <c>PoolChanged</c>) and stored.
/// </summary>
internal sealed partial class PoolController : IAsyncDisposable
{
    private readonly Channel<PoolCommand> _commands = Channel.CreateUnbounded<PoolCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _launching = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _pool;
    private readonly ScalerPoolOptions _options;
    private readonly ScalerOptions _scaler;
    private readonly PoolPolicy _policy;
    private readonly IInstanceDriver _driver;
    private readonly PoolStore _store;
    private readonly EventOutbox _outbox;
    private readonly ScalerMetrics _metrics;
    private readonly RecentActivity _activity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private PoolState _state;
    private long _sequence;
    // Handles of members removed since the running listing began (by sequence): that listing may still show them (an
    // instance on its way out), and must not adopt them again as started by someone else.
    private readonly Dictionary<string, long> _removedSince = new(StringComparer.Ordinal);
    private bool _listing;
    private string? _lastHeldBack;
    private Task _saving = Task.CompletedTask;

    public PoolController(
        string pool, ScalerOptions scaler, IInstanceDriver driver, PoolStore store, EventOutbox outbox,
        ScalerMetrics metrics, RecentActivity activity, TimeProvider time, ILogger logger)
    {
        _pool = pool;
        _scaler = scaler;
        var options = scaler.Pools[pool];
        _options = options;
        _policy = PoolPolicy.From(options);
        _driver = driver;
        _store = store;
        _outbox = outbox;
        _metrics = metrics;
        _activity = activity;
        _time = time;
        _logger = logger;
        _state = new PoolState { Pool = pool, Desired = options.Instances };
        Status = PoolStatus.From(_state, options, driver.Kind, time.GetUtcNow());
        _driver.Exited += exit => Post(new InstanceEnded(exit));
    }

    public string Pool => _pool;

    /// <summary>The pool as of the last command the loop applied (for <c>GET /pools</c> and the metrics).</summary>
    public PoolStatus Status { get; private set; }

    /// <summary>Queues a command for the loop; await <see cref="PoolCommand.Applied"/> to know it took effect.</summary>
    public PoolCommand Post(PoolCommand command)
    {
        if (!_commands.Writer.TryWrite(command))
        {
            command.Applied.TrySetException(new InvalidOperationException($"Pool {_pool} is shutting down."));
        }
        return command;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await AdoptAsync(stoppingToken);
        using var ticks = new Timer(_ => Post(new Tick()), null, TimeSpan.Zero, _scaler.ReconcileInterval);
        using var snapshots = new Timer(_ => Post(new SnapshotTick()), null, _scaler.SnapshotInterval, _scaler.SnapshotInterval);
        await foreach (var command in _commands.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                Apply(command);
                Reconcile();
                command.Applied.TrySetResult();
            }
            catch (Exception ex)
            {
                LogLoopError(_logger, ex, _pool, command.GetType().Name);
                command.Applied.TrySetException(ex);
            }
            Status = PoolStatus.From(_state, _options, _driver.Kind, _time.GetUtcNow());
        }
    }

    private void Apply(PoolCommand command)
    {
        switch (command)
        {
            case Tick:
                BeginListing();
                break;
            case SnapshotTick:
                _outbox.Enqueue(_state.Snapshot(_options.Weight, _time.GetUtcNow()));
                break;
            case VerdictReceived verdict:
                ApplyVerdict(verdict);
                break;
            case ScaleTo scale:
                ApplyScale(scale);
                break;
            case SetBounds bounds:
                ApplyBounds(bounds);
                break;
            case InstanceEnded ended:
                ApplyExit(ended.Exit.InstanceId, ended.Exit.Reason);
                break;
            case StartFinished started:
                ApplyStart(started);
                break;
            case StopFinished stopped:
                ApplyStop(stopped);
                break;
            case ListFinished listed:
                ApplyListing(listed);
                break;
        }
    }

    private void Reconcile()
    {
        var now = _time.GetUtcNow();
        var plan = PoolPlanner.Plan(_state.Situation(_launching.Count), _policy, now);
        if (plan.HeldBack != _lastHeldBack)
        {
            _lastHeldBack = plan.HeldBack;
            if (plan.HeldBack is not null)
            {
                LogHeldBack(_logger, _pool, plan.HeldBack);
            }
        }
        if (plan.ResetCrashStreak)
        {
            LogCrashLoopOver(_logger, _pool, _state.CrashStreak);
            _state.CrashStreak = 0;
            _state.BackoffUntil = null;
        }
        foreach (var stop in plan.Stop)
        {
            BeginStop(stop, now);
        }
        foreach (var drain in plan.Drain)
        {
            Drain(drain, now);
        }
        for (var i = 0; i < plan.Start; i++)
        {
            BeginStart();
        }
    }

    /// <summary>For the status page: what happened, in the words of the log line next to it.</summary>
    private void Note(string kind, string? instanceId, string text) =>
        _activity.Add(new ActivityEntry(_time.GetUtcNow(), _pool, kind, instanceId, text));

    public async ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        switch (_driver)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
