using System.Net;
using System.Security.Authentication;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Tls;

/// <summary>The gateway with a PEM certificate: HTTPS on TLS 1.2/1.3 only, plain HTTP redirected.</summary>
public sealed class TlsTests(TestCertificates certificates) : WithGateway, IClassFixture<TestCertificates>
{
    private readonly int _httpsPort = FreePort.Next();
    private readonly int _httpPort = FreePort.Next();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Tls:CertificatePath"] = certificates.CertificatePath;
        settings["Gateway:Tls:KeyPath"] = certificates.KeyPath;
        settings["Gateway:Tls:HttpsPort"] = _httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:Tls:HttpPort"] = _httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_handshake_on_the_offered_protocol_succeeds_and_the_request_is_proxied(SslProtocols protocol)
    {
        var outcome = await TlsProbe.GetAsync(_httpsPort, protocol, "/api/orders");

        Assert.Equal(protocol, outcome.Protocol);
        Assert.Equal(200, outcome.Response.Status);
        SeedSecurityHeaders.AssertPresent(outcome.Response);
        Assert.Equal(1, Upstream.BodiesCompleted);
    }

    [Fact]
    public async Task The_intermediate_certificate_in_the_certificate_file_is_sent_too()
    {
        var outcome = await TlsProbe.GetAsync(_httpsPort, SslProtocols.Tls13, "/alive");

        Assert.Contains(certificates.IntermediateSubject, outcome.ChainSubjects);
    }

    [Fact]
    public async Task A_tls_1_1_client_hello_is_refused_with_a_protocol_version_alert()
    {
        const byte Alert = 0x15, Handshake = 0x16, ServerHello = 0x02, Fatal = 0x02, ProtocolVersion = 70;

        var tls12 = await TlsProbe.SendClientHelloAsync(_httpsPort, 0x0303);
        var tls11 = await TlsProbe.SendClientHelloAsync(_httpsPort, 0x0302);

        // The same hand-made hello as TLS 1.2 gets a ServerHello: the refusal below is about the version alone.
        Assert.True(tls12.Length > 5 && tls12[0] == Handshake && tls12[5] == ServerHello, Convert.ToHexString(tls12));
        // A server that allowed TLS 1.1 but could not complete it here (OpenSSL 3 at security level 1 has no TLS 1.1
        // signature algorithm) would answer handshake_failure (40); only a server that refuses 1.1 says protocol_version.
        Assert.Equal([Alert], tls11[..1]);
        Assert.Equal([Fatal, ProtocolVersion], tls11[5..7]);
    }

    [Fact]
    public async Task Plain_http_gets_a_301_to_https_with_the_same_host_path_and_query()
    {
        var response = await RawHttp.SendAsync(_httpPort,
            $"GET /api/orders?id=7&q=a%20b HTTP/1.1\nHost: edge.example:{_httpPort}\nConnection: close\n\n");

        Assert.Equal(301, response.Status);
        Assert.Equal($"https://edge.example:{_httpsPort}/api/orders?id=7&q=a%20b", response.Header("Location"));
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, Upstream.Requests);
    }

    // The risk Gateway:Tls:RedirectHost removes: the client chooses where the redirect points.
    [Fact]
    public async Task Without_a_redirect_host_the_301_follows_whatever_host_the_client_sent()
    {
        var response = await RawHttp.SendAsync(_httpPort, "GET /api/a HTTP/1.1\nHost: attacker.example\nConnection: close\n\n");

        Assert.Equal(301, response.Status);
        Assert.Equal($"https://attacker.example:{_httpsPort}/api/a", response.Header("Location"));
    }

    [Fact]
    public async Task Https_is_served_to_an_http_client_that_trusts_the_certificate()
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });

        using var response = await client.GetAsync(new Uri($"https://localhost:{_httpsPort}/api/orders"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Upstream.InstanceId, await response.Content.ReadAsStringAsync());
    }
}
