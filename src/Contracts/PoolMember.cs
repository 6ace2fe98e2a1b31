namespace StarGuide.Contracts;

/// <summary>One instance in a <see cref="PoolChanged"/> snapshot.</summary>
/// <param name="Ready">
/// The scaler's view when the snapshot was taken: the instance has passed a health probe and may be sent traffic.
/// A consumer that already has the health monitor's own verdict on the instance keeps that (it is fresher); one that
/// has none (it just restarted) starts from this.
/// </param>
public sealed record PoolMember(
    string InstanceId,
    Uri Address,
    int Weight,
    bool IsBackup,
    bool Ready);
