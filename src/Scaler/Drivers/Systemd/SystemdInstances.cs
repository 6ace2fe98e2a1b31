namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>
/// What the driver knows about each slot's instance: the id it was started with, so that <c>ListAsync</c> reports
/// the same id. Units it did not start (a previous scaler's, or started by hand) get a stable id from the slot,
/// <c>&lt;pool&gt;@&lt;slot&gt;</c>, and the time they were first seen as their start.
/// </summary>
/// <remarks>
/// Starts run in parallel (the pool controller starts each instance in the background), and systemd has no "start
/// this slot unless taken": a start lists the units, then starts the lowest free slot. So a slot is reserved here, in
/// the same lock that picks it, from the pick until its start has finished, and a listing is read against when it
/// began (<see cref="BeginListing"/>): a unit started after a listing began is held even though that listing does not
/// show it, and a unit whose start is still under way is neither picked again nor reported under another id.
/// </remarks>
internal sealed class SystemdInstances(string pool)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (RunningInstance Instance, long Since)> _bySlot = [];
    private readonly HashSet<int> _starting = [];
    private long _clock;

    /// <summary>To be taken just before <c>systemctl list-units</c>: when the listing began, for <see cref="Reserve"/> and <see cref="Reconcile"/>.</summary>
    public long BeginListing()
    {
        lock (_lock)
        {
            return ++_clock;
        }
    }

    /// <summary>
    /// Takes the lowest slot from 1 to <paramref name="slots"/> that the listing begun at <paramref name="listing"/> did
    /// not show as <paramref name="held"/>, no other start is under way on, and no start has taken since that listing
    /// began; 0 when there is none. The slot stays reserved until <see cref="Started"/> or <see cref="Released"/>.
    /// </summary>
    public int Reserve(IEnumerable<int> held, long listing, int slots)
    {
        lock (_lock)
        {
            var taken = held.ToHashSet();
            for (var slot = 1; slot <= slots; slot++)
            {
                if (!taken.Contains(slot) && !_starting.Contains(slot)
                    && !(_bySlot.TryGetValue(slot, out var known) && known.Since > listing))
                {
                    _starting.Add(slot);
                    return slot;
                }
            }

            return 0;
        }
    }

    public void Started(int slot, RunningInstance instance)
    {
        lock (_lock)
        {
            _bySlot[slot] = (instance, ++_clock);
            _starting.Remove(slot);
        }
    }

    /// <summary>The start on <paramref name="slot"/> failed (its unit was stopped again): the slot is free.</summary>
    public void Released(int slot)
    {
        lock (_lock)
        {
            _starting.Remove(slot);
        }
    }

    public void Stopped(string unit)
    {
        lock (_lock)
        {
            foreach (var (slot, _) in _bySlot.Where(e => e.Value.Instance.Handle == unit).ToList())
            {
                _bySlot.Remove(slot);
            }
        }
    }

    /// <summary>
    /// The running units of the listing begun at <paramref name="listing"/> as instances, forgetting slots that are no
    /// longer held; <paramref name="adopted"/> are the ones seen for the first time. A unit whose start is under way
    /// is left out (its start reports it); one started after the listing began is not forgotten.
    /// </summary>
    public IReadOnlyList<RunningInstance> Reconcile(
        IEnumerable<(int Slot, string Unit, Uri Address)> running, IEnumerable<int> held, long listing, DateTimeOffset now,
        out List<RunningInstance> adopted)
    {
        adopted = [];
        var result = new List<RunningInstance>();
        lock (_lock)
        {
            var heldSlots = held.ToHashSet();
            foreach (var slot in _bySlot.Where(e => !heldSlots.Contains(e.Key) && e.Value.Since < listing).Select(e => e.Key).ToList())
            {
                _bySlot.Remove(slot);
            }

            foreach (var (slot, unit, address) in running)
            {
                if (_starting.Contains(slot))
                {
                    continue;
                }

                if (!_bySlot.TryGetValue(slot, out var known) || known.Instance.Handle != unit)
                {
                    known = (new RunningInstance($"{pool}@{slot}", address, unit, now), ++_clock);
                    _bySlot[slot] = known;
                    adopted.Add(known.Instance);
                }

                result.Add(known.Instance);
            }
        }

        return result;
    }
}
