using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Planning;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// Reads a pool's signals for its ready instances: CPU from the driver (the instance's own CPU time, as a percentage of
/// one core since the previous reading) and requests per second / in flight from the gateways' reports. A signal some
/// ready instance did not report is marked incomplete; one no instance reported is left out.
/// </summary>
internal sealed class SignalSampler(AutoscalingOptions options, IInstanceDriver driver, GatewayLoadReader? gatewayLoad)
{
    private readonly Dictionary<string, (TimeSpan Cpu, DateTimeOffset At)> _lastCpu = [];

    public bool MeasuresCpu => driver is IInstanceCpuMeter;

    public double CpuTarget => options.CpuPercent > 0 ? options.CpuPercent : options.UpAbove;

    public bool WantsCpu => options.CpuPercent > 0 || options.Policy == AutoscalePolicies.Threshold;

    public async Task<IReadOnlyList<SignalReading>> ReadAsync(
        string pool, IReadOnlyList<MemberStatus> members, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ready = members.Where(m => m.State == MemberState.Ready).ToList();
        var readings = new List<SignalReading>();
        if (WantsCpu && driver is IInstanceCpuMeter meter)
        {
            var values = new List<double>();
            // All at once: the docker driver's reading is a call to the engine per container.
            var cpus = await Task.WhenAll(ready.Select(async m => (m.Handle, Cpu: await meter.CpuTimeAsync(m.Handle, cancellationToken))));
            foreach (var (handle, reading) in cpus)
            {
                if (reading is not { } cpu)
                {
                    continue;
                }
                if (_lastCpu.TryGetValue(handle, out var last) && now > last.At)
                {
                    values.Add((cpu - last.Cpu) / (now - last.At) * 100);
                }
                _lastCpu[handle] = (cpu, now);
            }
            foreach (var gone in _lastCpu.Keys.Where(h => members.All(m => m.Handle != h)).ToList())
            {
                _lastCpu.Remove(gone);
            }
            Add(readings, SignalNames.Cpu, values, CpuTarget, ready.Count, now);
        }
        if (gatewayLoad is not null && (options.RequestsPerSecond > 0 || options.InFlight > 0)
            && await gatewayLoad.ReadAsync(pool, now, options.MaxSignalAge) is { } loads)
        {
            var reported = ready.Where(m => loads.ContainsKey(m.InstanceId)).Select(m => loads[m.InstanceId]).ToList();
            if (options.RequestsPerSecond > 0)
            {
                Add(readings, SignalNames.RequestsPerSecond, [.. reported.Select(l => l.RequestsPerSecond)], options.RequestsPerSecond, ready.Count, now);
            }
            if (options.InFlight > 0)
            {
                Add(readings, SignalNames.InFlight, [.. reported.Select(l => (double)l.InFlight)], options.InFlight, ready.Count, now);
            }
        }
        return readings;
    }

    private static void Add(List<SignalReading> readings, string name, List<double> values, double target, int ready, DateTimeOffset now)
    {
        if (values.Count > 0)
        {
            readings.Add(new SignalReading(name, values.Average(), target, values.Count == ready, now));
        }
    }
}
