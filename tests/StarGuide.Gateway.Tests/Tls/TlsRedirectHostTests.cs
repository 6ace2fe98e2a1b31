using System.Globalization;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Tls;

/// <summary>With <c>Gateway:Tls:RedirectHost</c> the HTTP port's 301 points to that host whatever Host the client sent.</summary>
public sealed class TlsRedirectHostTests(TestCertificates certificates) : WithGateway, IClassFixture<TestCertificates>
{
    private readonly int _httpsPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Tls:CertificatePath"] = certificates.CertificatePath;
        settings["Gateway:Tls:KeyPath"] = certificates.KeyPath;
        settings["Gateway:Tls:HttpsPort"] = _httpsPort.ToString(CultureInfo.InvariantCulture);
        settings["Gateway:Tls:HttpPort"] = _httpPort.ToString(CultureInfo.InvariantCulture);
        settings["Gateway:Tls:RedirectHost"] = "edge.example.com";
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("attacker.example:8080")]
    [InlineData("edge.example.com")]
    public async Task The_redirect_goes_to_the_redirect_host_on_the_https_port(string clientHost)
    {
        var response = await RawHttp.SendAsync(_httpPort,
            $"GET /api/orders?id=7&q=a%20b HTTP/1.1\nHost: {clientHost}\nConnection: close\n\n");

        Assert.Equal(301, response.Status);
        Assert.Equal($"https://edge.example.com:{_httpsPort}/api/orders?id=7&q=a%20b", response.Header("Location"));
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, Upstream.Requests);
    }
}

/// <summary>A redirect host with a port: that port, not <c>Gateway:Tls:HttpsPort</c> (e.g. behind a port mapping).</summary>
public sealed class TlsRedirectHostWithPortTests(TestCertificates certificates) : WithGateway, IClassFixture<TestCertificates>
{
    private readonly int _httpPort = FreePort.Next();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Tls:CertificatePath"] = certificates.CertificatePath;
        settings["Gateway:Tls:KeyPath"] = certificates.KeyPath;
        settings["Gateway:Tls:HttpsPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        settings["Gateway:Tls:HttpPort"] = _httpPort.ToString(CultureInfo.InvariantCulture);
        settings["Gateway:Tls:RedirectHost"] = "edge.example.com:8443";
    }

    [Fact]
    public async Task The_redirect_goes_to_the_redirect_host_and_its_port()
    {
        var response = await RawHttp.SendAsync(_httpPort, "GET /app/?x=1 HTTP/1.1\nHost: attacker.example\nConnection: close\n\n");

        Assert.Equal(301, response.Status);
        Assert.Equal("https://edge.example.com:8443/app/?x=1", response.Header("Location"));
    }
}
