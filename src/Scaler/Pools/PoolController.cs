using System.Threading.Channels;
using StarGuide.Scaler.Drivers;
using StarGuide.ServiceDefaults.Messaging;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// Runs one pool: a single loop that hands each command (verdicts, scale requests, driver results, ticks) to the pool's
/// <see cref="PoolTransitions"/> and carries out the effects it returns — driver work in the background, so that a
/// slow start or stop never holds up a verdict; events through the outbox; the state to Redis; facts to the journal.
/// The decisions are all in <see cref="PoolTransitions"/>; this class is the plumbing around it.
/// </summary>
internal sealed class PoolController : IAsyncDisposable
{
    private readonly Channel<PoolCommand> _commands = Channel.CreateUnbounded<PoolCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _pool;
    private readonly ScalerPoolOptions _options;
    private readonly ScalerOptions _scaler;
    private readonly IInstanceDriver _driver;
    private readonly PoolStore _store;
    private readonly EventOutbox _outbox;
    private readonly PoolJournal _journal;
    private readonly TimeProvider _time;
    private readonly PoolTransitions _transitions;
    private Task _saving = Task.CompletedTask;

    public PoolController(
        string pool, ScalerOptions scaler, IInstanceDriver driver, PoolStore store, EventOutbox outbox,
        ScalerMetrics metrics, IPoolActivity activity, TimeProvider time, ILogger logger)
    {
        _pool = pool;
        _scaler = scaler;
        _options = scaler.Pools[pool];
        _driver = driver;
        _store = store;
        _outbox = outbox;
        _time = time;
        _journal = new PoolJournal(pool, driver.Kind, metrics, activity, time, logger);
        _transitions = new PoolTransitions(pool, _options, driver.Kind);
        Status = PoolStatus.From(_transitions.State, _options, driver.Kind, time.GetUtcNow());
        _driver.Exited += exit => Post(new InstanceEnded(exit));
    }

    public string Pool => _pool;

    /// <summary>The pool's driver (the autoscaler reads the instances' CPU through it when the driver can).</summary>
    public IInstanceDriver Driver => _driver;

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
        using var ticks = _time.CreateTimer(_ => Post(new Tick()), null, TimeSpan.Zero, _scaler.ReconcileInterval);
        using var snapshots = _time.CreateTimer(_ => Post(new SnapshotTick()), null, _scaler.SnapshotInterval, _scaler.SnapshotInterval);
        await foreach (var command in _commands.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                CarryOut(_transitions.Apply(command, _time.GetUtcNow()));
                command.Applied.TrySetResult();
            }
            catch (Exception ex)
            {
                _journal.LoopError(ex, command.GetType().Name);
                command.Applied.TrySetException(ex);
            }
            Status = PoolStatus.From(_transitions.State, _options, _driver.Kind, _time.GetUtcNow());
        }
    }

    /// <summary>Carries on from the stored state and from what the driver finds running (see <see cref="PoolTransitions.Adopt"/>).</summary>
    private async Task AdoptAsync(CancellationToken stoppingToken)
    {
        var stored = await _store.LoadAsync(_pool);
        IReadOnlyList<RunningInstance>? running = null;
        Exception? listError = null;
        try
        {
            running = await _driver.ListAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            listError = ex;
        }
        CarryOut(_transitions.Adopt(stored, running, listError, _time.GetUtcNow()));
        Status = PoolStatus.From(_transitions.State, _options, _driver.Kind, _time.GetUtcNow());
    }

    private void CarryOut(IReadOnlyList<PoolEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case PoolFact fact:
                    _journal.Tell(fact);
                    break;
                case Publish publish:
                    _outbox.Enqueue(publish.Event);
                    break;
                case Save save:
                    // One after another, so an older state never overwrites a newer one.
                    _saving = _saving.ContinueWith(_ => _store.SaveAsync(_pool, save.Pool), TaskScheduler.Default).Unwrap();
                    break;
                case StartInstance start:
                    InBackground(async () => new StartFinished(start.Launch.InstanceId, start.Restarts, await _driver.StartAsync(start.Launch, CancellationToken.None), null),
                        ex => new StartFinished(start.Launch.InstanceId, start.Restarts, null, ex));
                    break;
                case StopInstance stop:
                    InBackground(async () =>
                    {
                        await _driver.StopAsync(stop.Instance, _options.DrainTimeout, CancellationToken.None);
                        return new StopFinished(stop.Instance.InstanceId, stop.Reason, null);
                    }, ex => new StopFinished(stop.Instance.InstanceId, stop.Reason, ex));
                    break;
                case ListInstances list:
                    InBackground(async () => new ListFinished(await _driver.ListAsync(CancellationToken.None), list.Sequence, null),
                        ex => new ListFinished(null, list.Sequence, ex));
                    break;
                default:
                    throw new InvalidOperationException($"Pool {_pool}: no way to carry out {effect.GetType().Name}.");
            }
        }
    }

    /// <summary>Runs driver work off the loop; its result (or failure) comes back as a command.</summary>
    private void InBackground(Func<Task<PoolCommand>> work, Func<Exception, PoolCommand> failed) =>
        _ = Task.Run(async () =>
        {
            PoolCommand result;
            try
            {
                result = await work();
            }
            catch (Exception ex)
            {
                result = failed(ex);
            }
            Post(result);
        });

    /// <summary>Stops every instance (local development: nothing should outlive the scaler), all at once.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        var members = Status.Members;
        await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                await _driver.StopAsync(new RunningInstance(m.InstanceId, m.Address, m.Handle, m.StartedAt), _options.DrainTimeout, cancellationToken);
            }
            catch (Exception ex)
            {
                _journal.Tell(new StopFailed(m.InstanceId, ex));
            }
        }));
    }

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
