namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>
/// What the driver knows about each slot's instance: the id it was started with, so that <c>ListAsync</c> reports
/// the same id. Units it did not start (a previous scaler's, or started by hand) get a stable id from the slot,
/// <c>&lt;pool&gt;@&lt;slot&gt;</c>, and the time they were first seen as their start.
/// </summary>
internal sealed class SystemdInstances(string pool)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, RunningInstance> _bySlot = [];

    public void Started(int slot, RunningInstance instance)
    {
        lock (_lock)
        {
            _bySlot[slot] = instance;
        }
    }

    public void Stopped(string unit)
    {
        lock (_lock)
        {
            foreach (var (slot, _) in _bySlot.Where(e => e.Value.Handle == unit).ToList())
            {
                _bySlot.Remove(slot);
            }
        }
    }

    /// <summary>
    /// The running units as instances, forgetting slots that are no longer held; <paramref name="adopted"/> are the
    /// ones seen for the first time.
    /// </summary>
    public IReadOnlyList<RunningInstance> Reconcile(
        IEnumerable<(int Slot, string Unit, Uri Address)> running, IEnumerable<int> held, DateTimeOffset now, out List<RunningInstance> adopted)
    {
        adopted = [];
        var result = new List<RunningInstance>();
        lock (_lock)
        {
            var heldSlots = held.ToHashSet();
            foreach (var slot in _bySlot.Keys.Where(s => !heldSlots.Contains(s)).ToList())
            {
                _bySlot.Remove(slot);
            }

            foreach (var (slot, unit, address) in running)
            {
                if (!_bySlot.TryGetValue(slot, out var instance) || instance.Handle != unit)
                {
                    instance = new RunningInstance($"{pool}@{slot}", address, unit, now);
                    _bySlot[slot] = instance;
                    adopted.Add(instance);
                }

                result.Add(instance);
            }
        }

        return result;
    }
}
