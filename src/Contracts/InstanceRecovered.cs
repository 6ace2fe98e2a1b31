namespace StarGuide.Contracts;

/// <summary>
/// The health monitor's verdict that an instance is healthy where it last said otherwise or had said nothing: an
/// instance that was unhealthy answers its health endpoint again, and a new instance's first healthy probe (its
/// admission: the gateways put it in rotation and the scaler counts it ready). Same event, same handling, two names.
/// </summary>
public sealed record InstanceRecovered(
    string InstanceId,
    string Pool,
    Uri Address,
    DateTimeOffset DetectedAt);
