using Microsoft.AspNetCore.Http.Features;

namespace StarGuide.Gateway.FrontDoor;

/// <summary>
/// Kestrel's upgrade for a request that may be upgraded, telling the connection's strict framing when the 101 has been
/// sent (YARP calls <see cref="UpgradeAsync"/> when the upstream answers 101). Until then, and for good if the answer
/// is anything else, what follows on the connection is framed strictly: a request that merely carries <c>Upgrade</c>
/// does not switch the check off.
/// </summary>
internal sealed class StrictHttp1UpgradeFeature(IHttpUpgradeFeature inner, StrictHttp1PipeReader connection)
    : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        // Kestrel has written the 101 when this returns; nothing reads the upgraded stream before it is returned.
        var stream = await inner.UpgradeAsync();
        connection.ProtocolsSwitched();
        return stream;
    }
}
