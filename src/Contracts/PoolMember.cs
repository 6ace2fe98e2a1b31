namespace StarGuide.Contracts;

/// <summary>One instance in a <see cref="PoolChanged"/> snapshot.</summary>
public sealed record PoolMember(
    string InstanceId,
    Uri Address,
    int Weight,
    bool IsBackup);
