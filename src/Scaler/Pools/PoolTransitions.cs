using StarGuide.Contracts;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// A pool's state machine: each input (a <see cref="PoolCommand"/>: verdict, scale request, driver result, tick) and the
/// time it is applied at give the new state and the <see cref="PoolEffect"/>s to carry out, in order. No I/O, no clock,
/// no logger: <see cref="PoolController"/> feeds it and carries the effects out, and the tests table every member state
/// against every input (tests/StarGuide.Scaler.Tests/Pools/PoolTransitionsTests.cs). What to start, drain and stop
/// after each input is <see cref="PoolPlanner"/>'s decision; this class applies the input and then the plan.
/// </summary>
/// <remarks>
/// Every membership change takes a new version and publishes the member's event and the whole membership
/// (<c>PoolChanged</c>); every change is stored. Not thread-safe: only the pool's loop calls it.
/// </remarks>
internal sealed class PoolTransitions
{
    private readonly string _pool;
    private readonly ScalerPoolOptions _options;
    private readonly PoolPolicy _policy;
    private readonly string _driverKind;
    private readonly HashSet<string> _launching = new(StringComparer.OrdinalIgnoreCase);
    // Handles of members removed since the running listing began (by sequence): that listing may still show them (an
    // instance on its way out), and must not adopt them again as started by someone else.
    private readonly Dictionary<string, long> _removedSince = new(StringComparer.Ordinal);
    private long _sequence;
    private bool _listing;
    private string? _lastHeldBack;
    private List<PoolEffect> _effects = [];

    public PoolTransitions(string pool, ScalerPoolOptions options, string driverKind)
    {
        _pool = pool;
        _options = options;
        _policy = options.Policy();
        _driverKind = driverKind;
        State = new PoolState { Pool = pool, Desired = options.Instances };
    }

    /// <summary>The pool as of the last input (read by the loop for <c>GET /pools</c>; changed only here).</summary>
    public PoolState State { get; private set; }

    /// <summary>Instances asked of the driver whose start has not finished yet.</summary>
    public int Launching => _launching.Count;

    /// <summary>
    /// Carries on from the stored state and from what the driver lists (null: the listing failed, <paramref name="listError"/>):
    /// stored instances that still run are kept as they were, stored ones that no longer run are announced stopped,
    /// and running ones the store does not know (its state was lost) are adopted as ready: they were serving, and the
    /// monitor says so if they are not.
    /// </summary>
    public IReadOnlyList<PoolEffect> Adopt(StoredPool? stored, IReadOnlyList<RunningInstance>? running, Exception? listError, DateTimeOffset now)
    {
        _effects = [];
        if (listError is not null)
        {
            _effects.Add(new ListFailed(listError));
        }
        State = new PoolState
        {
            Pool = _pool,
            Desired = Math.Clamp(stored?.Desired ?? _options.Instances, _options.MinInstances, _options.MaxInstances),
            Version = stored?.Version ?? 0,
            NextOrdinal = stored?.NextOrdinal ?? 1,
            Floor = stored?.Floor,
            Ceiling = stored?.Ceiling,
        };
        var gone = new List<StoredMember>();
        foreach (var member in stored?.Members ?? [])
        {
            var found = running?.FirstOrDefault(r => Same(r, member.Handle, member.InstanceId));
            if (running is not null && found is null)
            {
                gone.Add(member);
                continue;
            }
            // A stop that was under way when the scaler went down is made again from the start of the drain.
            var state = member.State is MemberState.Stopping ? MemberState.Draining : member.State;
            Add(new Member
            {
                InstanceId = member.InstanceId, Address = found?.Address ?? member.Address, Handle = found?.Handle ?? member.Handle,
                StartedAt = member.StartedAt, State = state, Since = state == member.State ? member.Since : now, Restarts = member.Restarts,
            });
        }
        foreach (var instance in running ?? [])
        {
            if (!Knows(instance))
            {
                Add(new Member
                {
                    InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
                    StartedAt = instance.StartedAt, State = MemberState.Ready, Since = now,
                });
                State.NextOrdinal = Math.Max(State.NextOrdinal, OrdinalOf(instance.InstanceId) + 1);
            }
        }

        State.NextVersion(now);
        foreach (var member in gone)
        {
            _effects.Add(new Publish(new InstanceStopped(member.InstanceId, _pool, member.Address, "no longer running when the scaler started", State.Version, now)));
        }
        _effects.Add(new Adopted(State.Members.Count, gone.Count, State.Desired, stored is null ? "configuration" : "Redis"));
        Changed(now);
        return _effects;
    }

    /// <summary>Applies <paramref name="command"/> at <paramref name="now"/>, then the planner's plan for the pool that results.</summary>
    public IReadOnlyList<PoolEffect> Apply(PoolCommand command, DateTimeOffset now)
    {
        _effects = [];
        switch (command)
        {
            case Tick:
                BeginListing();
                break;
            case SnapshotTick:
                _effects.Add(new Publish(State.Snapshot(_options.Weight, now)));
                break;
            case VerdictReceived verdict:
                ApplyVerdict(verdict, now);
                break;
            case ScaleTo scale:
                ApplyScale(scale);
                break;
            case SetBounds bounds:
                ApplyBounds(bounds);
                break;
            case InstanceEnded ended:
                ApplyExit(ended.Exit.InstanceId, ended.Exit.Reason, now);
                break;
            case StartFinished started:
                ApplyStart(started, now);
                break;
            case StopFinished stopped:
                ApplyStop(stopped, now);
                break;
            case ListFinished listed:
                ApplyListing(listed, now);
                break;
        }
        Reconcile(now);
        return _effects;
    }

    private void Reconcile(DateTimeOffset now)
    {
        var plan = PoolPlanner.Plan(State.Situation(_launching.Count), _policy, now);
        if (plan.HeldBack != _lastHeldBack)
        {
            _lastHeldBack = plan.HeldBack;
            if (plan.HeldBack is not null)
            {
                _effects.Add(new HeldBack(plan.HeldBack));
            }
        }
        if (plan.ResetCrashStreak)
        {
            _effects.Add(new CrashLoopOver(State.CrashStreak));
            State.CrashStreak = 0;
            State.BackoffUntil = null;
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

    private void BeginListing()
    {
        if (_listing)
        {
            return;
        }
        _listing = true;
        _effects.Add(new ListInstances(_sequence));
    }

    private void BeginStart()
    {
        var ordinal = State.NextOrdinal++;
        var id = $"{_pool}-{ordinal}";
        var restarts = State.PendingRestarts.TryDequeue(out var pending) ? pending : 0;
        _launching.Add(id);
        Save();
        _effects.Add(new Starting(id, State.Desired));
        _effects.Add(new StartInstance(new InstanceLaunch(_pool, id, ordinal), restarts));
    }

    private void ApplyStart(StartFinished started, DateTimeOffset now)
    {
        _launching.Remove(started.InstanceId);
        if (started.Instance is not { } instance)
        {
            State.PendingRestarts.Enqueue(started.Restarts);
            _effects.Add(new StartFailed(started.InstanceId, started.Error!));
            Crashed(started.InstanceId, $"could not be started: {started.Error!.Message}", now);
            return;
        }
        var member = new Member
        {
            InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
            StartedAt = instance.StartedAt, State = MemberState.Starting, Since = now, Restarts = started.Restarts,
            Reason = "waiting for its first healthy probe",
        };
        Add(member);
        State.NextVersion(now);
        _effects.Add(new Publish(new InstanceStarted(member.InstanceId, _pool, member.Address, _options.Weight, false, State.Version, now)));
        _effects.Add(new Started(member.InstanceId, member.Address, member.Handle, member.Restarts, State.Desired));
        Changed(now);
    }

    private void Drain(PlannedStop drain, DateTimeOffset now)
    {
        if (!State.Members.TryGetValue(drain.InstanceId, out var member) || member.State is MemberState.Draining or MemberState.Stopping)
        {
            return;
        }
        member.MoveTo(MemberState.Draining, now, drain.Reason);
        State.NextVersion(now);
        var deadline = now + _policy.DrainDelay + _options.DrainTimeout;
        _effects.Add(new Publish(new InstanceDraining(member.InstanceId, _pool, member.Address, State.Version, deadline, now)));
        _effects.Add(new Draining(member.InstanceId, drain.Reason, _policy.DrainDelay));
        Changed(now);
    }

    private void BeginStop(PlannedStop stop, DateTimeOffset now)
    {
        if (!State.Members.TryGetValue(stop.InstanceId, out var member) || member.State == MemberState.Stopping)
        {
            return;
        }
        if (stop.FailedStart)
        {
            State.PendingRestarts.Enqueue(member.Restarts + 1);
            _effects.Add(new Replacing(member.InstanceId, "failed-start", stop.Reason));
            Crashed(member.InstanceId, stop.Reason, now);
        }
        member.MoveTo(MemberState.Stopping, now, stop.Reason);
        Save();
        _effects.Add(new StopInstance(new RunningInstance(member.InstanceId, member.Address, member.Handle, member.StartedAt), stop.Reason));
    }

    private void ApplyStop(StopFinished stopped, DateTimeOffset now)
    {
        if (!State.Members.TryGetValue(stopped.InstanceId, out var member))
        {
            return;
        }
        if (stopped.Error is { } error)
        {
            // Tried again after the drain delay; the instance stays out of rotation meanwhile.
            _effects.Add(new StopFailed(member.InstanceId, error));
            member.MoveTo(MemberState.Draining, now, member.Reason);
            Save();
            return;
        }
        Remove(member, stopped.Reason, now);
    }

    private void ApplyVerdict(VerdictReceived verdict, DateTimeOffset now)
    {
        if (!State.Members.TryGetValue(verdict.InstanceId, out var member))
        {
            return;
        }
        switch (member.State, verdict.Healthy)
        {
            case (MemberState.Starting, true):
                member.MoveTo(MemberState.Ready, now, "passed a health probe");
                _effects.Add(new Admitted(member.InstanceId, member.Address, now - member.StartedAt));
                Save();
                break;
            case (MemberState.Unhealthy, true):
                member.MoveTo(MemberState.Ready, now, "recovered");
                _effects.Add(new Recovered(member.InstanceId));
                Save();
                break;
            case (MemberState.Ready, false):
                // Not capacity any more: the planner starts a replacement now and drains this one once that one is ready.
                member.MoveTo(MemberState.Unhealthy, now, verdict.Reason);
                State.PendingRestarts.Enqueue(member.Restarts + 1);
                _effects.Add(new Replacing(member.InstanceId, "unhealthy", verdict.Reason));
                Save();
                break;
            // An unhealthy verdict on a starting instance means it is not up yet: StartTimeout decides. Draining and
            // stopping instances are on their way out whatever the monitor says.
        }
    }

    private void ApplyBounds(SetBounds bounds)
    {
        (State.Floor, State.Ceiling) = bounds.Clear ? (null, null) : (bounds.Floor ?? State.Floor, bounds.Ceiling ?? State.Ceiling);
        _effects.Add(new BoundsSet(State.Floor, State.Ceiling, bounds.RequestedBy));
        ApplyScale(new ScaleTo(State.Desired, "within the operator's floor and ceiling", bounds.RequestedBy));
        Save();
    }

    private void ApplyScale(ScaleTo scale)
    {
        var lowest = Math.Max(_options.MinInstances, State.Floor ?? 0);
        var highest = Math.Min(_options.MaxInstances, State.Ceiling ?? int.MaxValue);
        var desired = Math.Clamp(scale.Desired, lowest, Math.Max(lowest, highest));
        if (desired != State.Desired)
        {
            _effects.Add(new Scaled(State.Desired, desired, scale.Desired, scale.RequestedBy, scale.Reason));
            State.Desired = desired;
            Save();
        }
    }

    private void ApplyExit(string instanceId, string reason, DateTimeOffset now)
    {
        if (!State.Members.TryGetValue(instanceId, out var member) || member.State == MemberState.Stopping)
        {
            return; // unknown, or a stop we asked for: StopFinished removes it
        }
        var expected = member.State == MemberState.Draining;
        Remove(member, expected ? $"ended while draining ({reason})" : $"ended by itself ({reason})", now);
        if (expected)
        {
            return;
        }
        State.PendingRestarts.Enqueue(member.Restarts + 1);
        _effects.Add(new Replacing(member.InstanceId, "exited", reason));
        if (member.State != MemberState.Ready || now - member.StartedAt < _policy.MinUptime)
        {
            Crashed(member.InstanceId, $"ended {(now - member.StartedAt).TotalSeconds:0.#} s after its start ({reason})", now);
        }
    }

    private void ApplyListing(ListFinished listed, DateTimeOffset now)
    {
        _listing = false;
        if (listed.Running is not { } running)
        {
            _effects.Add(new ListFailed(listed.Error!));
            return;
        }
        foreach (var member in State.Members.Values.Where(m => m.Sequence <= listed.Sequence).ToList())
        {
            if (!running.Any(r => Same(r, member.Handle, member.InstanceId)))
            {
                ApplyExit(member.InstanceId, $"no longer listed by the {_driverKind} driver", now);
            }
        }
        var removedDuring = _removedSince.Where(r => r.Value > listed.Sequence).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        _removedSince.Clear();
        foreach (var instance in running)
        {
            if (!Knows(instance) && !_launching.Contains(instance.InstanceId) && !removedDuring.Contains(instance.Handle))
            {
                // Started by someone else for this pool (e.g. Kubernetes replacing a pod): it joins, and gets traffic once healthy.
                Add(new Member
                {
                    InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
                    StartedAt = instance.StartedAt, State = MemberState.Starting, Since = now,
                });
                State.NextVersion(now);
                _effects.Add(new Publish(new InstanceStarted(instance.InstanceId, _pool, instance.Address, _options.Weight, false, State.Version, now)));
                _effects.Add(new Found(instance.InstanceId, instance.Address));
                Changed(now);
            }
        }
    }

    private bool Knows(RunningInstance instance) =>
        State.Members.ContainsKey(instance.InstanceId) || State.Members.Values.Any(m => m.Handle == instance.Handle);

    private static bool Same(RunningInstance running, string handle, string instanceId) =>
        running.Handle == handle || string.Equals(running.InstanceId, instanceId, StringComparison.OrdinalIgnoreCase);

    private void Add(Member member)
    {
        member.Sequence = ++_sequence;
        State.Members[member.InstanceId] = member;
    }

    private void Remove(Member member, string reason, DateTimeOffset now)
    {
        State.Members.Remove(member.InstanceId);
        _removedSince[member.Handle] = ++_sequence;
        State.NextVersion(now);
        _effects.Add(new Publish(new InstanceStopped(member.InstanceId, _pool, member.Address, reason, State.Version, now)));
        _effects.Add(new Left(member.InstanceId, reason));
        Changed(now);
    }

    private void Crashed(string instanceId, string why, DateTimeOffset now)
    {
        State.CrashStreak++;
        State.LastCrashAt = now;
        var wait = _policy.Backoff(State.CrashStreak);
        State.BackoffUntil = now + wait;
        _effects.Add(new BackedOff(instanceId, why, State.CrashStreak, wait));
    }

    /// <summary>Publishes the new membership and stores it.</summary>
    private void Changed(DateTimeOffset now)
    {
        _effects.Add(new Publish(State.Snapshot(_options.Weight, now)));
        Save();
    }

    private void Save() => _effects.Add(new Save(StoredPool.From(State)));

    private static int OrdinalOf(string instanceId) =>
        int.TryParse(instanceId.AsSpan(instanceId.LastIndexOf('-') + 1), out var ordinal) ? ordinal : 0;
}
