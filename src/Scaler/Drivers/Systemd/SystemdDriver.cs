namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>
/// Runs a pool's instances as instances of a systemd template unit (<c>starguide-backend@N.service</c>) through
/// <c>systemctl</c>. systemd, not the scaler, owns the processes: they survive a scaler restart and are re-adopted by
/// <see cref="ListAsync"/>.
/// </summary>
internal sealed class SystemdDriver(
    string pool, SystemdDriverOptions options, Systemctl systemctl, TimeProvider time, ILogger<SystemdDriver> logger) : IInstanceDriver
{
    private readonly UnitTemplate _template = new(pool, options);
    private readonly SystemdInstances _instances = new(pool);

    public string Kind => SystemdDriverFactory.DriverKind;

    /// <summary>Never raised: systemd restarts or stops units by itself, which <see cref="ListAsync"/> sees.</summary>
    public event Action<InstanceExit>? Exited
    {
        add { }
        remove { }
    }

    public async Task<RunningInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        // A template unit is a fixed slot whose number is also in its port (800%i), so instances take the lowest free
        // slot 1..Slots rather than launch.Ordinal, which grows with every start and would soon leave the port range.
        // Which slots are taken is asked from systemd each time, not remembered, so that a unit started by hand or by a
        // previous scaler is never started a second time under another instance id. Starts run in parallel, so the
        // slot is also reserved for this start (SystemdInstances): another start that listed before this unit was up
        // does not take it too.
        var listing = _instances.BeginListing();
        var held = (await ListUnitsAsync(cancellationToken).ConfigureAwait(false))
            .Where(u => u.Unit.HoldsSlot)
            .Select(u => u.Slot);
        var slot = _instances.Reserve(held, listing, options.Slots);
        if (slot == 0)
        {
            throw new InstanceDriverException(
                $"All {options.Slots} slots of {_template.Pattern} are in use; raise Systemd:Slots (and give each slot its own port).");
        }

        var started = false;
        try
        {
            var instance = await StartUnitAsync(launch, slot, cancellationToken).ConfigureAwait(false);
            _instances.Started(slot, instance);
            started = true;
            return instance;
        }
        finally
        {
            if (!started)
            {
                _instances.Released(slot);
            }
        }
    }

    private async Task<RunningInstance> StartUnitAsync(InstanceLaunch launch, int slot, CancellationToken cancellationToken)
    {
        var unit = _template.Unit(slot);
        var start = await systemctl.RunAsync(["start", unit], cancellationToken).ConfigureAwait(false);
        if (!start.Succeeded)
        {
            await StopAfterFailedStartAsync(unit, cancellationToken).ConfigureAwait(false);
            throw start.Failure($"Could not start {launch.InstanceId}");
        }

        var state = await systemctl.RunAsync(["is-active", unit], cancellationToken).ConfigureAwait(false);
        if (state.Stdout.Trim() != "active")
        {
            await StopAfterFailedStartAsync(unit, cancellationToken).ConfigureAwait(false);
            throw new InstanceDriverException(
                $"Could not start {launch.InstanceId}: after `{start.Command}`, `{state.Command}` says '{state.Stdout.Trim()}' (exit code {state.ExitCode}), not 'active'.");
        }

        SystemdDriverLog.Started(logger, pool, launch.InstanceId, unit);
        return new RunningInstance(launch.InstanceId, _template.Address(slot), unit, time.GetUtcNow());
    }

    /// <summary>
    /// <c>systemctl stop</c> has systemd send the unit's <c>KillSignal</c> (SIGTERM) and SIGKILL after the unit's
    /// <c>TimeoutStopSec</c>; the driver also bounds it by <paramref name="grace"/> (the pool's <c>DrainTimeout</c>):
    /// if the stop has not finished by then, <c>systemctl kill --signal=SIGKILL</c> ends every process of the unit
    /// and a second <c>stop</c> waits for the stop job to finish. So the grace is the shorter of the two.
    /// </summary>
    public async Task StopAsync(RunningInstance instance, TimeSpan grace, CancellationToken cancellationToken)
    {
        var unit = instance.Handle;
        if (!_template.TryParseSlot(unit, out _))
        {
            throw new InstanceDriverException($"Not stopping {instance.InstanceId}: '{unit}' is not a unit of {_template.Pattern}.");
        }

        var stop = await systemctl.TryRunAsync(["stop", unit], grace, cancellationToken).ConfigureAwait(false);
        if (stop is null)
        {
            SystemdDriverLog.Killing(logger, pool, instance.InstanceId, unit, grace);
            // Its exit code does not matter: the unit may have stopped meanwhile; the stop below says how it ended.
            await systemctl.RunAsync(["kill", "--signal=SIGKILL", unit], cancellationToken).ConfigureAwait(false);
            stop = await systemctl.RunAsync(["stop", unit], cancellationToken).ConfigureAwait(false);
        }

        // Exit code 5: the unit is not loaded at all, i.e. already gone.
        if (!stop.Succeeded && stop.ExitCode != 5)
        {
            throw stop.Failure($"Could not stop {instance.InstanceId}");
        }

        _instances.Stopped(unit);
        SystemdDriverLog.Stopped(logger, pool, instance.InstanceId, unit);
    }

    public async Task<IReadOnlyList<RunningInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var listing = _instances.BeginListing();
        var units = await ListUnitsAsync(cancellationToken).ConfigureAwait(false);
        var running = units.Where(u => u.Unit.IsRunning)
            .Select(u => (u.Slot, u.Unit.Name, Address: _template.Address(u.Slot)))
            .ToList();
        var result = _instances.Reconcile(running, units.Where(u => u.Unit.HoldsSlot).Select(u => u.Slot), listing, time.GetUtcNow(), out var adopted);
        foreach (var instance in adopted)
        {
            SystemdDriverLog.Adopted(logger, pool, instance.InstanceId, instance.Handle);
        }

        return result;
    }

    private async Task<List<(int Slot, ListedUnit Unit)>> ListUnitsAsync(CancellationToken cancellationToken)
    {
        var list = await systemctl.RunAsync(["list-units", "--plain", "--no-legend", "--all", _template.Pattern], cancellationToken)
            .ConfigureAwait(false);
        if (!list.Succeeded)
        {
            throw list.Failure("Could not list the pool's units");
        }

        var units = new List<(int, ListedUnit)>();
        foreach (var unit in ListedUnit.Parse(list.Stdout))
        {
            if (_template.TryParseSlot(unit.Name, out var slot) && slot <= options.Slots)
            {
                units.Add((slot, unit));
            }
        }

        return units;
    }

    /// <summary>
    /// A unit whose start failed may be left restarting (<c>Restart=always</c>) or failed; stopping it frees the slot
    /// and keeps systemd from bringing up an instance the scaler does not count. Best effort: the start's own error
    /// is the one reported.
    /// </summary>
    private async Task StopAfterFailedStartAsync(string unit, CancellationToken cancellationToken)
    {
        try
        {
            var stop = await systemctl.RunAsync(["stop", unit], cancellationToken).ConfigureAwait(false);
            if (!stop.Succeeded)
            {
                SystemdDriverLog.CleanupFailed(logger, pool, unit, stop.Failure().Message);
            }
        }
        catch (InstanceDriverException ex)
        {
            SystemdDriverLog.CleanupFailed(logger, pool, unit, ex.Message);
        }
    }
}
