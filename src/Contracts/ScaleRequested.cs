namespace StarGuide.Contracts;

/// <summary>
/// A request for <paramref name="Pool"/> to run <paramref name="DesiredInstances"/> instances. A desired count, not
/// a delta, so that a duplicate or a replay is harmless.
/// </summary>
/// <param name="RequestedBy">Who asked: <c>autoscaler</c> (the scaler's decision loop), <c>failover</c>, or an operator name.</param>
/// <param name="Observed">The signal values the decision was made on (e.g. <c>cpu</c> → 93.5), when it was made on any.</param>
public sealed record ScaleRequested(
    Guid RequestId,
    string Pool,
    int DesiredInstances,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    IReadOnlyDictionary<string, double>? Observed = null);
