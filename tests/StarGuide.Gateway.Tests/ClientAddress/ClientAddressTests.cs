using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.ClientAddress;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.ClientAddress;

/// <summary>
/// Who the client is, as the upstream is told: the TCP peer unless the peer is a configured trusted proxy, and never a
/// forwarding header the client chose. Real gateway on Kestrel (rate limits off: no Redis needed), real upstream.
/// </summary>
public sealed class ClientAddressTests : WithUpstreams
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData("127.0.0.1", "127.0.0.1", 32)]
    [InlineData("::1", "::1", 128)]
    [InlineData("2001:db8::/32", "2001:db8::", 32)]
    public void A_trusted_proxy_is_an_address_or_a_network(string entry, string prefix, int length)
    {
        var network = Assert.Single(ClientAddressExtensions.ParseTrustedProxies([entry]));

        Assert.Equal(IPAddress.Parse(prefix), network.BaseAddress);
        Assert.Equal(length, network.PrefixLength);
    }

    [Fact]
    public void An_entry_that_is_neither_names_its_key_and_value()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ClientAddressExtensions.ParseTrustedProxies(["10.0.0.1", "proxy.example"]));

        Assert.Equal("Gateway:ClientAddress:TrustedProxies:1 must be an IP address or a CIDR network; it is 'proxy.example'.", error.Message);
    }

    [Theory]
    // No trusted proxy: the peer, whatever the client writes.
    [InlineData("", "203.0.113.7", "https", "127.0.0.1", "http")]
    // A trusted proxy names the client and the scheme.
    [InlineData("127.0.0.1", "203.0.113.7", "https", "203.0.113.7", "https")]
    // ASP.NET trusts loopback by default: a gateway trusting only 10.0.0.0/8 must not believe a loopback peer.
    [InlineData("10.0.0.0/8", "203.0.113.7", "https", "127.0.0.1", "http")]
    // A chain of trusted proxies is walked back to the first untrusted address (198.51.100.1 is what the client wrote).
    [InlineData("127.0.0.1,10.0.0.0/8", "198.51.100.1, 203.0.113.7, 10.1.2.3, 10.4.5.6", null, "203.0.113.7", null)]
    public async Task The_upstream_is_told_the_client_only_a_trusted_proxy_may_name(
        string trustedProxies, string forwardedFor, string? proto, string client, string? scheme)
    {
        await using var gateway = KestrelGateway.Start(Settings(trustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries)));

        using var response = await gateway.Client.SendAsync(Forwarded(forwardedFor, proto));

        response.EnsureSuccessStatusCode();
        var received = Assert.Single(Backend.Received).Headers;
        Assert.Equal(client, received["X-Forwarded-For"]);
        Assert.Equal(client, received["X-Real-IP"]);
        if (scheme is not null)
        {
            Assert.Equal(scheme, received["X-Forwarded-Proto"]);
        }
        Assert.False(received.ContainsKey("Forwarded"));
    }

    [Fact]
    public async Task Only_the_configured_proxies_are_trusted_not_aspnets_loopback_defaults()
    {
        // ASP.NET trusts ::1 and 127.0.0.0/8 out of the box; the test clients come from 127.0.0.1 only, so the IPv6
        // default is checked on the options the middleware reads.
        await using var gateway = KestrelGateway.Start(Settings("10.0.0.0/8"));

        var options = gateway.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Empty(options.KnownProxies);
        Assert.Equal("10.0.0.0/8", Assert.Single(options.KnownIPNetworks).ToString());
        Assert.Null(options.ForwardLimit);
    }

    private static HttpRequestMessage Forwarded(string forwardedFor, string? proto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stars");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        request.Headers.TryAddWithoutValidation("X-Real-IP", "192.0.2.99");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=192.0.2.98");
        if (proto is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", proto);
        }
        return request;
    }

    private Dictionary<string, string?> Settings(params string[] trustedProxies)
    {
        var settings = KestrelGateway.Pools(Backend, Frontend);
        settings["Gateway:RateLimiting:Enabled"] = "false";
        for (var i = 0; i < trustedProxies.Length; i++)
        {
            settings[$"Gateway:ClientAddress:TrustedProxies:{i}"] = trustedProxies[i];
        }
        return settings;
    }
}
