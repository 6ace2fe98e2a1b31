using StarGuide.Scaler.Drivers;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// Something <see cref="PoolTransitions"/> decided should happen, for <see cref="PoolController"/> to carry out in the
/// order given: work for the driver (whose result comes back as a <see cref="PoolCommand"/>), an event to publish, the
/// state to store, or a <see cref="PoolFact"/> to tell (log line, status-page note, metric).
/// </summary>
internal abstract record PoolEffect;

/// <summary>Have the driver start an instance; its result comes back as <see cref="StartFinished"/>.</summary>
internal sealed record StartInstance(InstanceLaunch Launch, int Restarts) : PoolEffect;

/// <summary>Have the driver stop an instance (gracefully for the pool's drain timeout); the result comes back as <see cref="StopFinished"/>.</summary>
internal sealed record StopInstance(RunningInstance Instance, string Reason) : PoolEffect;

/// <summary>Have the driver list what runs; the result comes back as <see cref="ListFinished"/> with this sequence.</summary>
internal sealed record ListInstances(long Sequence) : PoolEffect;

/// <summary>Publish an event of the pool (<c>InstanceStarted</c>, <c>InstanceDraining</c>, <c>InstanceStopped</c>, <c>PoolChanged</c>).</summary>
internal sealed record Publish(object Event) : PoolEffect;

/// <summary>Store the pool's state as it is (saves run one after another, the newest last).</summary>
internal sealed record Save(StoredPool Pool) : PoolEffect;

/// <summary>What happened, for the log, the status page's activity and the metrics (<see cref="PoolJournal"/> tells it).</summary>
internal abstract record PoolFact : PoolEffect;

/// <summary>A (re)started scaler carried on from the store (<paramref name="Source"/>: Redis or configuration) and the driver's listing.</summary>
internal sealed record Adopted(int Count, int Gone, int Desired, string Source) : PoolFact;

internal sealed record Starting(string InstanceId, int Desired) : PoolFact;

internal sealed record Started(string InstanceId, Uri Address, string Handle, int Restarts, int Desired) : PoolFact;

internal sealed record StartFailed(string InstanceId, Exception Error) : PoolFact;

/// <summary>A starting instance passed its first health probe: it gets traffic from now on.</summary>
internal sealed record Admitted(string InstanceId, Uri Address, TimeSpan AfterStart) : PoolFact;

/// <summary>An unhealthy instance passed a health probe again.</summary>
internal sealed record Recovered(string InstanceId) : PoolFact;

/// <summary>An instance is replaced; <paramref name="Cause"/> is the metric's label (unhealthy, exited, failed-start).</summary>
internal sealed record Replacing(string InstanceId, string Cause, string Reason) : PoolFact;

internal sealed record Draining(string InstanceId, string Reason, TimeSpan StopIn) : PoolFact;

/// <summary>An instance is no longer a member (stopped, ended, or no longer listed).</summary>
internal sealed record Left(string InstanceId, string Reason) : PoolFact;

internal sealed record StopFailed(string InstanceId, Exception Error) : PoolFact;

/// <summary>The driver's listing failed; the next tick lists again.</summary>
internal sealed record ListFailed(Exception Error) : PoolFact;

/// <summary>An instance found running that the scaler did not start (e.g. Kubernetes replacing a pod).</summary>
internal sealed record Found(string InstanceId, Uri Address) : PoolFact;

internal sealed record Scaled(int From, int To, int Asked, string RequestedBy, string Reason) : PoolFact;

internal sealed record BoundsSet(int? Floor, int? Ceiling, string RequestedBy) : PoolFact;

/// <summary>A crash (or failed start): the next start waits <paramref name="Wait"/>.</summary>
internal sealed record BackedOff(string InstanceId, string Why, int Streak, TimeSpan Wait) : PoolFact;

/// <summary>A start that is needed waits (said once each time the reason changes).</summary>
internal sealed record HeldBack(string Why) : PoolFact;

/// <summary>An instance started after the last crash has stayed up: the crash streak and its back-off are cleared.</summary>
internal sealed record CrashLoopOver(int Streak) : PoolFact;
