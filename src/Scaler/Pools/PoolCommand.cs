using StarGuide.Scaler.Drivers;

namespace StarGuide.Scaler.Pools;

/// <summary>Something for a pool's controller loop to apply; the loop is the only writer of the pool's state.</summary>
internal abstract record PoolCommand
{
    /// <summary>Completed once the loop has applied the command (consumers wait for it before they acknowledge).</summary>
    public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Time to compare what runs with what should.</summary>
internal sealed record Tick : PoolCommand;

/// <summary>Time to publish the whole membership again.</summary>
internal sealed record SnapshotTick : PoolCommand;

/// <summary>The health monitor's verdict on an instance.</summary>
internal sealed record VerdictReceived(string InstanceId, bool Healthy, string Reason) : PoolCommand;

/// <summary>A desired size from the decision loop, an operator or failover (clamped to min/max).</summary>
internal sealed record ScaleTo(int Desired, string Reason, string RequestedBy) : PoolCommand;

/// <summary>An operator's floor and ceiling (null: unchanged), or <paramref name="Clear"/> to drop both.</summary>
internal sealed record SetBounds(int? Floor, int? Ceiling, bool Clear, string RequestedBy) : PoolCommand;

/// <summary>The driver says an instance ended by itself.</summary>
internal sealed record InstanceEnded(InstanceExit Exit) : PoolCommand;

/// <summary>A start the loop asked for has finished, with the instance or the error.</summary>
internal sealed record StartFinished(string InstanceId, int Restarts, RunningInstance? Instance, Exception? Error) : PoolCommand;

/// <summary>A stop the loop asked for has finished.</summary>
internal sealed record StopFinished(string InstanceId, string Reason, Exception? Error) : PoolCommand;

/// <summary>What the driver found running; <paramref name="Sequence"/> is the membership sequence when the listing began.</summary>
internal sealed record ListFinished(IReadOnlyList<RunningInstance>? Running, long Sequence, Exception? Error) : PoolCommand;
