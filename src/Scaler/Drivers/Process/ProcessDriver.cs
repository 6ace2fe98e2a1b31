using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.Scaler.Drivers.Process;

/// <summary>
/// Runs each instance as a local process from a command template, on a free loopback port. The process gets its own
/// session (a Ctrl+C meant for the scaler does not reach it), writes its output to a file that is copied into the
/// scaler's log, and carries <see cref="ProcessEnvironment"/> variables by which a restarted scaler finds it again.
/// A child that exits is noticed at once (the runtime reaps it); one adopted from an earlier scaler by the next listing.
/// </summary>
internal sealed partial class ProcessDriver : IInstanceDriver, IInstanceCpuMeter, IDisposable
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitPoll = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, OutputTail> _tails = new(StringComparer.Ordinal);
    // Started here, by process id, until stopped.
    private readonly ConcurrentDictionary<int, Child> _children = new();
    private readonly string _pool;
    private readonly string _scope;
    private readonly ProcessDriverOptions _options;
    private readonly string _outputDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ProcessDriver(string pool, string scope, ProcessDriverOptions options, TimeProvider time, ILogger logger)
    {
        _pool = pool;
        _scope = scope;
        _options = options;
        _time = time;
        _logger = logger;
        _outputDirectory = string.IsNullOrWhiteSpace(options.OutputDirectory)
            ? Path.Combine(Path.GetTempPath(), "starguide-scaler", scope, pool)
            : options.OutputDirectory;
    }

    public string Kind => ProcessDriverFactory.DriverKind;

    public event Action<InstanceExit>? Exited;

    public Task<RunningInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken)
    {
        var template = new ProcessTemplate(launch.Pool, launch.InstanceId, launch.Ordinal, FreePort.Next());
        var address = new Uri(template.Fill(_options.Address));
        Directory.CreateDirectory(_outputDirectory);
        var output = Path.Combine(_outputDirectory, launch.InstanceId + ".log");
        var startedAt = _time.GetUtcNow();

        // sh replaces itself with setsid, which replaces itself with the command: one process id throughout.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = string.IsNullOrWhiteSpace(_options.WorkingDirectory) ? Environment.CurrentDirectory : template.Fill(_options.WorkingDirectory),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add((File.Exists("/usr/bin/setsid") ? "exec /usr/bin/setsid " : "exec ") + "\"$0\" \"$@\" </dev/null >>\"$STARGUIDE_OUTPUT\" 2>&1");
        start.ArgumentList.Add(template.Fill(_options.Command));
        foreach (var argument in _options.Arguments)
        {
            start.ArgumentList.Add(template.Fill(argument));
        }
        start.Environment["PORT"] = template.Fill("{port}");
        foreach (var variable in _options.Environment)
        {
            var equals = variable.IndexOf('=');
            start.Environment[variable[..equals]] = template.Fill(variable[(equals + 1)..]);
        }
        start.Environment[ProcessEnvironment.Scope] = _scope;
        start.Environment[ProcessEnvironment.Pool] = _pool;
        start.Environment[ProcessEnvironment.InstanceId] = launch.InstanceId;
        start.Environment[ProcessEnvironment.Address] = address.ToString();
        start.Environment[ProcessEnvironment.StartedAt] = startedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        start.Environment[ProcessEnvironment.Output] = output;

        File.WriteAllText(output, "");
        _tails[launch.InstanceId] = OutputTail.Start(output, launch.InstanceId, fromEnd: false, _logger);
        System.Diagnostics.Process process;
        try
        {
            process = new System.Diagnostics.Process { StartInfo = start, EnableRaisingEvents = true };
            process.Exited += (_, _) => OnExited(launch.InstanceId, process);
            if (!process.Start())
            {
                throw new InstanceDriverException($"Could not start '{_options.Command}' for {launch.InstanceId}.");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            StopTail(launch.InstanceId, output);
            throw new InstanceDriverException($"Could not start '{_options.Command}' for {launch.InstanceId}: {ex.Message}", ex);
        }
        var running = new RunningInstance(launch.InstanceId, address, process.Id.ToString(CultureInfo.InvariantCulture), startedAt);
        var child = new Child(process, running);
        _children[process.Id] = child;
        if (process.HasExited)
        {
            child.Reported = true; // gone at once: Exited has come (before it was in the map) or will, without it
        }
        return Task.FromResult(running);
    }

    public async Task StopAsync(RunningInstance instance, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!int.TryParse(instance.Handle, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            throw new InstanceDriverException($"{instance.InstanceId}: '{instance.Handle}' is not a process id.");
        }
        if (IsOurs(pid, instance.InstanceId) && Signals.Send(pid, Signals.Term)
            && !await ExitedWithinAsync(pid, instance.InstanceId, grace, cancellationToken))
        {
            LogKilling(_logger, _pool, instance.InstanceId, pid, grace.TotalSeconds);
            Signals.Send(pid, Signals.Kill);
            if (!await ExitedWithinAsync(pid, instance.InstanceId, KillWait, cancellationToken))
            {
                throw new InstanceDriverException($"{instance.InstanceId} (process {pid}) still runs after SIGKILL.");
            }
        }
        if (_children.TryRemove(pid, out var child))
        {
            child.Process.Dispose();
        }
        StopTail(instance.InstanceId, Path.Combine(_outputDirectory, instance.InstanceId + ".log"));
    }

    public Task<IReadOnlyList<RunningInstance>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<RunningInstance>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ProcessEnvironment.Read(pid) is not { } variables
                || ProcessEnvironment.Describe(pid, variables, _scope, _pool) is not { } instance)
            {
                continue;
            }
            found.Add(instance);
            // Started by an earlier scaler: copy its output from here on.
            if (!_tails.ContainsKey(instance.InstanceId) && variables.TryGetValue(ProcessEnvironment.Output, out var output) && File.Exists(output))
            {
                _tails[instance.InstanceId] = OutputTail.Start(output, instance.InstanceId, fromEnd: true, _logger);
            }
        }
        foreach (var child in _children.Values)
        {
            if (!child.Reported && !found.Any(f => f.Handle == child.Running.Handle))
            {
                found.Add(child.Running); // exited, not yet reaped: Exited follows with its exit code
            }
        }
        return Task.FromResult<IReadOnlyList<RunningInstance>>(found);
    }

    public ValueTask<TimeSpan?> CpuTimeAsync(string handle, CancellationToken cancellationToken) => ValueTask.FromResult(ProcessCpu.Read(handle));

    private void OnExited(string instanceId, System.Diagnostics.Process process)
    {
        var code = process.ExitCode;
        var reason = code > 128 ? $"exit code {code}, killed by signal {code - 128}" : $"exit code {code}";
        // Before the event: a listing must never show an instance whose exit the pool has already applied (it would
        // join again as someone else's).
        if (_children.TryGetValue(process.Id, out var child))
        {
            child.Reported = true;
        }
        Exited?.Invoke(new InstanceExit(instanceId, reason));
    }

    private bool IsOurs(int pid, string instanceId) =>
        ProcessEnvironment.Read(pid) is { } variables && ProcessEnvironment.Describe(pid, variables, _scope, _pool)?.InstanceId == instanceId;

    private async Task<bool> ExitedWithinAsync(int pid, string instanceId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + wait;
        while (IsOurs(pid, instanceId))
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }
            await Task.Delay(ExitPoll, _time, cancellationToken);
        }
        return true;
    }

    private void StopTail(string instanceId, string output)
    {
        if (_tails.TryRemove(instanceId, out var tail))
        {
            tail.Dispose();
        }
        try
        {
            File.Delete(output);
        }
        catch (IOException)
        {
            // Kept; it is in a temporary folder.
        }
    }

    public void Dispose()
    {
        foreach (var tail in _tails.Values)
        {
            tail.Dispose();
        }
        foreach (var child in _children.Values)
        {
            child.Process.Dispose();
        }
    }

    /// <summary>
    /// A process started here. Until <see cref="Exited"/> has reported it, a listing shows it even when /proc no longer
    /// does: a killed child is a zombie (its environ unreadable) until .NET reaps it and raises Exited with the exit
    /// code, and a pool that learnt "no longer listed" in between would never hear "exit code 137, killed by signal 9".
    /// </summary>
    private sealed class Child(System.Diagnostics.Process process, RunningInstance running)
    {
        public System.Diagnostics.Process Process { get; } = process;
        public RunningInstance Running { get; } = running;
        public volatile bool Reported;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {Pool}: {InstanceId} (process {Pid}) did not stop within {Seconds:0.#} s of SIGTERM; sending SIGKILL")]
    private static partial void LogKilling(ILogger logger, string pool, string instanceId, int pid, double seconds);
}
