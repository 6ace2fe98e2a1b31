namespace StarGuide.Contracts;

/// <summary>
/// An instance is about to leave <paramref name="Pool"/>: the gateway sends it no new requests, lets the ones in
/// flight finish, and the scaler stops it after <paramref name="DrainDeadline"/>.
/// </summary>
public sealed record InstanceDraining(
    string InstanceId,
    string Pool,
    Uri Address,
    long PoolVersion,
    DateTimeOffset DrainDeadline,
    DateTimeOffset RequestedAt);
