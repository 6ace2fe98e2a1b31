namespace StarGuide.Scaler.Drivers;

/// <summary>
/// Starts and stops the instances of one pool wherever they run (local processes, containers, systemd units,
/// Kubernetes pods), and says what runs now from its own view of the world (process ids, container labels, unit
/// states, pods). One driver object serves one pool. The pool's controller calls it from one loop, never twice at the
/// same time for the same instance; every method may be slow and may throw (the controller logs it and tries again).
/// </summary>
internal interface IInstanceDriver
{
    /// <summary>Driver name as written in configuration (<c>process</c>, <c>docker</c>, <c>systemd</c>, <c>kubernetes</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// Starts one instance and returns once it runs and has an address (not once it is healthy: the health monitor
    /// decides that). Throws <see cref="InstanceDriverException"/> with the cause when it cannot.
    /// </summary>
    Task<RunningInstance> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Stops an instance: gracefully first (SIGTERM, <c>docker stop</c>, <c>systemctl stop</c>, pod deletion), so that
    /// requests in flight can finish, then forcibly once <paramref name="grace"/> has passed. Returns when it no longer
    /// runs. Stopping an instance that is already gone is not an error.
    /// </summary>
    Task StopAsync(RunningInstance instance, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>
    /// The instances of this pool that run now, by the driver's own view (used at start to re-adopt what a previous
    /// scaler started, and every reconciliation to notice instances that exited).
    /// </summary>
    Task<IReadOnlyList<RunningInstance>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Raised (from any thread) when the driver learns at once that an instance ended, e.g. a child process exited.
    /// Drivers without such a signal never raise it: <see cref="ListAsync"/> is polled as well.
    /// </summary>
    event Action<InstanceExit>? Exited;
}
