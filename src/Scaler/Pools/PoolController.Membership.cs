using StarGuide.Contracts;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

internal sealed partial class PoolController
{
    /// <summary>
    /// Carries on from the stored state and from what the driver finds running: stored instances that still run are
    /// kept as they were, stored ones that no longer run are announced stopped, and running ones the store does not
    /// know (its state was lost) are adopted as ready: they were serving, and the monitor says so if they are not.
    /// </summary>
    private async Task AdoptAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var stored = await _store.LoadAsync(_pool);
        IReadOnlyList<RunningInstance>? running = null;
        try
        {
            running = await _driver.ListAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogListFailed(_logger, ex, _pool, _driver.Kind);
        }

        _state = new PoolState
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
            var found = running?.FirstOrDefault(r => r.Handle == member.Handle || string.Equals(r.InstanceId, member.InstanceId, StringComparison.OrdinalIgnoreCase));
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
            if (!_state.Members.ContainsKey(instance.InstanceId) && !_state.Members.Values.Any(m => m.Handle == instance.Handle))
            {
                Add(new Member
                {
                    InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
                    StartedAt = instance.StartedAt, State = MemberState.Ready, Since = now,
                });
                _state.NextOrdinal = Math.Max(_state.NextOrdinal, OrdinalOf(instance.InstanceId) + 1);
            }
        }

        _state.NextVersion(now);
        foreach (var member in gone)
        {
            _outbox.Enqueue(new InstanceStopped(member.InstanceId, _pool, member.Address, "no longer running when the scaler started", _state.Version, now));
        }
        LogAdopted(_logger, _pool, _state.Members.Count, gone.Count, _state.Desired, stored is null ? "configuration" : "Redis");
        Note("instance", null, $"scaler started: {_state.Members.Count} instance(s) carried on, {gone.Count} stored one(s) no longer running, "
            + $"desired {_state.Desired} (from {(stored is null ? "configuration" : "Redis")})");
        Changed(now);
    }

    private void ApplyVerdict(VerdictReceived verdict)
    {
        if (!_state.Members.TryGetValue(verdict.InstanceId, out var member))
        {
            return;
        }
        var now = _time.GetUtcNow();
        switch (member.State, verdict.Healthy)
        {
            case (MemberState.Starting, true):
                member.MoveTo(MemberState.Ready, now, "passed a health probe");
                LogReady(_logger, _pool, member.InstanceId, member.Address, (now - member.StartedAt).TotalSeconds);
                Note("instance", member.InstanceId, $"ready {(now - member.StartedAt).TotalSeconds:0.0} s after its start");
                Save();
                break;
            case (MemberState.Unhealthy, true):
                member.MoveTo(MemberState.Ready, now, "recovered");
                LogRecovered(_logger, _pool, member.InstanceId);
                Note("instance", member.InstanceId, "healthy again");
                Save();
                break;
            case (MemberState.Ready, false):
                // Not capacity any more: the planner starts a replacement now and drains this one once that one is ready.
                member.MoveTo(MemberState.Unhealthy, now, verdict.Reason);
                _state.PendingRestarts.Enqueue(member.Restarts + 1);
                _metrics.Replacement(_pool, "unhealthy");
                LogReplacing(_logger, _pool, member.InstanceId, "unhealthy", verdict.Reason);
                Note("failover", member.InstanceId, $"unhealthy ({verdict.Reason}): out of rotation, a replacement starts first");
                Save();
                break;
            // An unhealthy verdict on a starting instance means it is not up yet: StartTimeout decides.
        }
    }

    private void ApplyBounds(SetBounds bounds)
    {
        (_state.Floor, _state.Ceiling) = bounds.Clear ? (null, null) : (bounds.Floor ?? _state.Floor, bounds.Ceiling ?? _state.Ceiling);
        LogBounds(_logger, _pool, _state.Floor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            _state.Ceiling?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", bounds.RequestedBy);
        ApplyScale(new ScaleTo(_state.Desired, "within the operator's floor and ceiling", bounds.RequestedBy));
        Save();
    }

    private void ApplyScale(ScaleTo scale)
    {
        var lowest = Math.Max(_options.MinInstances, _state.Floor ?? 0);
        var highest = Math.Min(_options.MaxInstances, _state.Ceiling ?? int.MaxValue);
        var desired = Math.Clamp(scale.Desired, lowest, Math.Max(lowest, highest));
        if (desired != _state.Desired)
        {
            LogScaled(_logger, _pool, _state.Desired, desired, scale.Desired, scale.RequestedBy, scale.Reason);
            Note("scale", null, $"desired {_state.Desired} → {desired}{(desired != scale.Desired ? $" (asked {scale.Desired})" : "")} by {scale.RequestedBy}: {scale.Reason}");
            _state.Desired = desired;
            Save();
        }
    }

    private void ApplyExit(string instanceId, string reason)
    {
        if (!_state.Members.TryGetValue(instanceId, out var member) || member.State == MemberState.Stopping)
        {
            return; // unknown, or a stop we asked for: StopFinished removes it
        }
        var now = _time.GetUtcNow();
        var expected = member.State == MemberState.Draining;
        Remove(member, expected ? $"ended while draining ({reason})" : $"ended by itself ({reason})", now);
        if (expected)
        {
            return;
        }
        _state.PendingRestarts.Enqueue(member.Restarts + 1);
        _metrics.Replacement(_pool, "exited");
        LogReplacing(_logger, _pool, member.InstanceId, "exited", reason);
        Note("failover", member.InstanceId, $"exited ({reason}): replacing it");
        if (member.State != MemberState.Ready || now - member.StartedAt < _policy.MinUptime)
        {
            Crashed(member.InstanceId, $"ended {(now - member.StartedAt).TotalSeconds:0.#} s after its start ({reason})", now);
        }
    }

    private void ApplyListing(ListFinished listed)
    {
        _listing = false;
        if (listed.Running is not { } running)
        {
            LogListFailed(_logger, listed.Error!, _pool, _driver.Kind);
            return;
        }
        foreach (var member in _state.Members.Values.Where(m => m.Sequence <= listed.Sequence).ToList())
        {
            if (!running.Any(r => r.Handle == member.Handle || string.Equals(r.InstanceId, member.InstanceId, StringComparison.OrdinalIgnoreCase)))
            {
                ApplyExit(member.InstanceId, $"no longer listed by the {_driver.Kind} driver");
            }
        }
        var now = _time.GetUtcNow();
        var removedDuring = _removedSince.Where(r => r.Value > listed.Sequence).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        _removedSince.Clear();
        foreach (var instance in running)
        {
            if (!_state.Members.ContainsKey(instance.InstanceId) && !_launching.Contains(instance.InstanceId)
                && !_state.Members.Values.Any(m => m.Handle == instance.Handle) && !removedDuring.Contains(instance.Handle))
            {
                // Started by someone else for this pool (e.g. Kubernetes replacing a pod): it joins, and gets traffic once healthy.
                Add(new Member
                {
                    InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
                    StartedAt = instance.StartedAt, State = MemberState.Starting, Since = now,
                });
                _state.NextVersion(now);
                _outbox.Enqueue(new InstanceStarted(instance.InstanceId, _pool, instance.Address, _options.Weight, false, _state.Version, now));
                LogFound(_logger, _pool, instance.InstanceId, instance.Address);
                Changed(now);
            }
        }
    }

    private void Add(Member member)
    {
        member.Sequence = ++_sequence;
        _state.Members[member.InstanceId] = member;
    }

    private void Remove(Member member, string reason, DateTimeOffset now)
    {
        _state.Members.Remove(member.InstanceId);
        _removedSince[member.Handle] = ++_sequence;
        _state.NextVersion(now);
        _outbox.Enqueue(new InstanceStopped(member.InstanceId, _pool, member.Address, reason, _state.Version, now));
        LogStopped(_logger, _pool, member.InstanceId, reason);
        Note("instance", member.InstanceId, $"left the pool: {reason}");
        Changed(now);
    }

    private void Crashed(string instanceId, string why, DateTimeOffset now)
    {
        _state.CrashStreak++;
        _state.LastCrashAt = now;
        var wait = _policy.Backoff(_state.CrashStreak);
        _state.BackoffUntil = now + wait;
        _metrics.Backoff(_pool);
        LogBackoff(_logger, _pool, instanceId, why, _state.CrashStreak, wait.TotalSeconds);
        Note("backoff", instanceId, $"{why}; crash {_state.CrashStreak} in a row, next start in {wait.TotalSeconds:0.#} s");
    }

    /// <summary>Publishes the new membership and stores it.</summary>
    private void Changed(DateTimeOffset now)
    {
        _outbox.Enqueue(_state.Snapshot(_options.Weight, now));
        Save();
    }

    /// <summary>Stores the state as it is now; saves run one after another, so an older state never overwrites a newer one.</summary>
    private void Save()
    {
        var stored = StoredPool.From(_state);
        _saving = _saving.ContinueWith(_ => _store.SaveAsync(_pool, stored), TaskScheduler.Default).Unwrap();
    }

    private static int OrdinalOf(string instanceId) =>
        int.TryParse(instanceId.AsSpan(instanceId.LastIndexOf('-') + 1), out var ordinal) ? ordinal : 0;
}
