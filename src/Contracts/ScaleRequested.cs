namespace StarGuide.Contracts;

/// <summary>
/// A request for <paramref name="Pool"/> to run <paramref name="DesiredInstances"/> instances. A desired count, not
/// a delta, so that a duplicate or a replay is harmless.
/// </summary>
/// <param name="RequestedBy">Who asked: <c>scaler</c> (its decision loop), <c>failover</c>, or an operator name.</param>
public sealed record ScaleRequested(
    Guid RequestId,
    string Pool,
    int DesiredInstances,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt);
