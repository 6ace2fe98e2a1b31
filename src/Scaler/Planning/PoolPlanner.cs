namespace StarGuide.Scaler.Planning;

/// <summary>
/// The pool's self-healing rules, as a pure function of the situation and the time: no I/O, no clock of its own,
/// so that every rule is table-tested. The controller applies the plan and feeds back what happened.
/// </summary>
/// <remarks>
/// Capacity is what is ready or on its way (starting, launching). An unhealthy instance is not capacity: a
/// replacement starts at once, and the unhealthy one is drained only when enough instances are ready, so the pool
/// never has fewer serving instances because of a replacement. Surplus capacity goes newest first, those not yet
/// ready before those that serve. After a crash, starts wait an exponentially growing back-off.
/// </remarks>
internal static class PoolPlanner
{
    public static PoolPlan Plan(PoolSituation pool, PoolPolicy policy, DateTimeOffset now)
    {
        var drain = new List<PlannedStop>();
        var stop = new List<PlannedStop>();

        foreach (var member in pool.Members)
        {
            if (member.State == MemberState.Starting && now - member.StartedAt >= policy.StartTimeout)
            {
                stop.Add(new PlannedStop(member.InstanceId,
                    $"not healthy {policy.StartTimeout.TotalSeconds:0.#} s after its start", FailedStart: true));
            }
            else if (member.State == MemberState.Draining && now - member.Since >= policy.DrainDelay)
            {
                stop.Add(new PlannedStop(member.InstanceId, "drained"));
            }
        }

        var failedStarts = stop.Count(s => s.FailedStart);
        var starting = pool.Members.Where(m => m.State == MemberState.Starting && !stop.Any(s => s.InstanceId == m.InstanceId)).ToList();
        var ready = pool.Members.Where(m => m.State == MemberState.Ready).ToList();
        var capacity = starting.Count + ready.Count + pool.Launching;

        var start = 0;
        string? heldBack = null;
        if (capacity < pool.Desired)
        {
            if (pool.BackoffUntil is { } until && now < until)
            {
                heldBack = $"{pool.Desired - capacity} start(s) wait {(until - now).TotalSeconds:0.#} s: back-off after {pool.CrashStreak} crash(es) in a row";
            }
            else
            {
                start = pool.Desired - capacity;
            }
        }
        else if (capacity > pool.Desired)
        {
            // Newest first, and what does not serve yet before what does.
            var surplus = starting.OrderByDescending(m => m.StartedAt)
                .Concat(ready.OrderByDescending(m => m.StartedAt))
                .Take(capacity - pool.Desired - pool.Launching);
            drain.AddRange(surplus.Select(m => new PlannedStop(m.InstanceId, $"scaled down to {pool.Desired}")));
        }

        if (ready.Count >= pool.Desired)
        {
            drain.AddRange(pool.Members.Where(m => m.State == MemberState.Unhealthy)
                .Select(m => new PlannedStop(m.InstanceId, "unhealthy; replaced by a ready instance")));
        }

        // Only an instance started after the last crash proves the loop is over: one old healthy instance beside a
        // crash-looping start does not.
        var resetCrashStreak = pool.CrashStreak > 0 && failedStarts == 0
            && ready.Any(m => m.StartedAt > pool.LastCrashAt && now - m.Since >= policy.MinUptime);
        return new PoolPlan(start, drain, stop, heldBack, resetCrashStreak);
    }
}
