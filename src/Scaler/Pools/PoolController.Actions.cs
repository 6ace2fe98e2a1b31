using StarGuide.Contracts;
using StarGuide.Scaler.Planning;

namespace StarGuide.Scaler.Pools;

internal sealed partial class PoolController
{
    private void BeginListing()
    {
        if (_listing)
        {
            return;
        }
        _listing = true;
        var sequence = _sequence;
        _ = Task.Run(async () =>
        {
            try
            {
                Post(new ListFinished(await _driver.ListAsync(CancellationToken.None), sequence, null));
            }
            catch (Exception ex)
            {
                Post(new ListFinished(null, sequence, ex));
            }
        });
    }

    private void BeginStart()
    {
        var ordinal = _state.NextOrdinal++;
        var id = $"{_pool}-{ordinal}";
        var restarts = _state.PendingRestarts.TryDequeue(out var pending) ? pending : 0;
        _launching.Add(id);
        Save();
        LogStarting(_logger, _pool, id, _driver.Kind, _state.Desired);
        _ = Task.Run(async () =>
        {
            try
            {
                var instance = await _driver.StartAsync(new Drivers.InstanceLaunch(_pool, id, ordinal), CancellationToken.None);
                Post(new StartFinished(id, restarts, instance, null));
            }
            catch (Exception ex)
            {
                Post(new StartFinished(id, restarts, null, ex));
            }
        });
    }

    private void ApplyStart(StartFinished started)
    {
        _launching.Remove(started.InstanceId);
        var now = _time.GetUtcNow();
        if (started.Instance is not { } instance)
        {
            _state.PendingRestarts.Enqueue(started.Restarts);
            LogStartFailed(_logger, started.Error!, _pool, started.InstanceId, started.Error!.Message);
            Note("failover", started.InstanceId, $"could not be started: {started.Error.Message}");
            Crashed(started.InstanceId, $"could not be started: {started.Error.Message}", now);
            return;
        }
        var member = new Member
        {
            InstanceId = instance.InstanceId, Address = instance.Address, Handle = instance.Handle,
            StartedAt = instance.StartedAt, State = MemberState.Starting, Since = now, Restarts = started.Restarts,
            Reason = "waiting for its first healthy probe",
        };
        Add(member);
        _state.NextVersion(now);
        _outbox.Enqueue(new InstanceStarted(member.InstanceId, _pool, member.Address, _options.Weight, false, _state.Version, now));
        LogStarted(_logger, _pool, member.InstanceId, member.Address, member.Handle);
        Note("instance", member.InstanceId, member.Restarts > 0
            ? $"started at {member.Address} as a replacement (restart {member.Restarts} in a row)"
            : $"started at {member.Address} to reach {_state.Desired}");
        Changed(now);
    }

    private void Drain(PlannedStop drain, DateTimeOffset now)
    {
        if (!_state.Members.TryGetValue(drain.InstanceId, out var member) || member.State is MemberState.Draining or MemberState.Stopping)
        {
            return;
        }
        member.MoveTo(MemberState.Draining, now, drain.Reason);
        _state.NextVersion(now);
        var deadline = now + _policy.DrainDelay + _options.DrainTimeout;
        _outbox.Enqueue(new InstanceDraining(member.InstanceId, _pool, member.Address, _state.Version, deadline, now));
        LogDraining(_logger, _pool, member.InstanceId, drain.Reason, _policy.DrainDelay.TotalSeconds);
        Note("instance", member.InstanceId, $"draining: {drain.Reason}");
        Changed(now);
    }

    private void BeginStop(PlannedStop stop, DateTimeOffset now)
    {
        if (!_state.Members.TryGetValue(stop.InstanceId, out var member) || member.State == MemberState.Stopping)
        {
            return;
        }
        if (stop.FailedStart)
        {
            _state.PendingRestarts.Enqueue(member.Restarts + 1);
            _metrics.Replacement(_pool, "failed-start");
            Note("failover", member.InstanceId, $"failed to start, replacing it: {stop.Reason}");
            Crashed(member.InstanceId, stop.Reason, now);
        }
        member.MoveTo(MemberState.Stopping, now, stop.Reason);
        Save();
        var instance = new Drivers.RunningInstance(member.InstanceId, member.Address, member.Handle, member.StartedAt);
        _ = Task.Run(async () =>
        {
            try
            {
                await _driver.StopAsync(instance, _options.DrainTimeout, CancellationToken.None);
                Post(new StopFinished(instance.InstanceId, stop.Reason, null));
            }
            catch (Exception ex)
            {
                Post(new StopFinished(instance.InstanceId, stop.Reason, ex));
            }
        });
    }

    private void ApplyStop(StopFinished stopped)
    {
        if (!_state.Members.TryGetValue(stopped.InstanceId, out var member))
        {
            return;
        }
        var now = _time.GetUtcNow();
        if (stopped.Error is { } error)
        {
            // Tried again after the drain delay; the instance stays out of rotation meanwhile.
            LogStopFailed(_logger, error, _pool, member.InstanceId, error.Message);
            member.MoveTo(MemberState.Draining, now, member.Reason);
            Save();
            return;
        }
        Remove(member, stopped.Reason, now);
    }

    /// <summary>Stops every instance (local development: nothing should outlive the scaler), all at once.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        var members = Status.Members;
        await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                await _driver.StopAsync(new Drivers.RunningInstance(m.InstanceId, m.Address, m.Handle, m.StartedAt), _options.DrainTimeout, cancellationToken);
            }
            catch (Exception ex)
            {
                LogStopFailed(_logger, ex, _pool, m.InstanceId, ex.Message);
            }
        }));
    }
}
