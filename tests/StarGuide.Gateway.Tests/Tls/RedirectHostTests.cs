using StarGuide.Gateway.Tls;

namespace StarGuide.Gateway.Tests.Tls;

/// <summary>What <c>Gateway:Tls:RedirectHost</c> accepts, and the authority the redirect then carries.</summary>
public sealed class RedirectHostTests
{
    [Theory]
    [InlineData("edge.example.com", 443, "edge.example.com")]
    [InlineData("edge.example.com", 8443, "edge.example.com:8443")]
    [InlineData("edge.example.com:443", 8443, "edge.example.com:443")]
    [InlineData("edge.example.com:9443", 8443, "edge.example.com:9443")]
    [InlineData("xn--dge-9ma.example", 443, "xn--dge-9ma.example")]
    [InlineData("192.0.2.1", 8443, "192.0.2.1:8443")]
    [InlineData("[2001:db8::1]", 8443, "[2001:db8::1]:8443")]
    [InlineData("[2001:db8::1]:9443", 443, "[2001:db8::1]:9443")]
    public void A_host_or_host_and_port_is_the_redirect_authority(string value, int httpsPort, string authority)
    {
        Assert.True(RedirectHost.TryParse(value, httpsPort, out var parsed));
        Assert.Equal(authority, parsed.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://edge.example.com")]
    [InlineData("//edge.example.com")]
    [InlineData("edge.example.com/")]
    [InlineData("edge.example.com?x")]
    [InlineData("edge.example.com#x")]
    [InlineData("user@edge.example.com")]
    [InlineData("edge.example.com\\x")]
    [InlineData("edge example.com")]
    [InlineData("edge.example.com\r\nX-A: b")]
    [InlineData("edge.example.com:")]
    [InlineData("edge.example.com:0")]
    [InlineData("edge.example.com:65536")]
    [InlineData("edge.example.com:+443")]
    [InlineData("édge.example")]
    public void Anything_else_is_refused(string value) => Assert.False(RedirectHost.TryParse(value, 443, out _));
}
