namespace StarGuide.Contracts;

/// <summary>
/// The health monitor's verdict that an instance stopped answering its health endpoint.
/// Idempotent for consumers: it states a fact about <paramref name="InstanceId"/>, so a duplicate changes nothing.
/// </summary>
/// <param name="InstanceId">Stable id of the instance inside its pool, e.g. <c>backend-1</c>.</param>
/// <param name="Pool">Pool name, e.g. <c>backend</c>.</param>
/// <param name="Address">Base address the gateway forwards to, e.g. <c>http://127.0.0.1:8001</c>.</param>
/// <param name="Reason">What the last failed probe saw (status code, timeout, connection refused).</param>
/// <param name="ConsecutiveFailures">Failed probes in a row when the verdict was reached.</param>
/// <param name="DetectedAt">When the verdict was reached.</param>
public sealed record InstanceUnhealthy(
    string InstanceId,
    string Pool,
    Uri Address,
    string Reason,
    int ConsecutiveFailures,
    DateTimeOffset DetectedAt);
