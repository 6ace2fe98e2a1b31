using StarGuide.Scaler.Messaging;

namespace StarGuide.Scaler.Tests.Messaging;

/// <summary>Which <c>ScaleRequested</c> a scaler applies: everyone's but those its own scope published (and so applied before).</summary>
public sealed class ScaleRequestEchoTests
{
    [Theory]
    [InlineData("starguide", "starguide", true)] // its own request back from its queue, or its predecessor's after a restart
    [InlineData(null, "starguide", false)] // a tool or another service: no scaler mark
    [InlineData("", "starguide", false)]
    [InlineData("staging", "starguide", false)] // another scaler, with a state of its own
    [InlineData("Starguide", "starguide", false)] // scopes are Redis key prefixes: case matters
    public void A_request_is_the_scalers_own_only_when_its_scope_published_it(string? publishedBy, string ownScope, bool own) =>
        Assert.Equal(own, ScaleRequestEcho.IsOwn(publishedBy, ownScope));
}
