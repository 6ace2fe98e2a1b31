using System.Net.Security;
using System.Security.Authentication;
using StarGuide.Gateway.Tests.Support;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Tls;

/// <summary>
/// <c>Gateway:Tls:CipherSuites</c> as nginx's <c>ssl_ciphers</c>: TLS 1.2 handshakes only on the listed suites (here the
/// one real suite of the seed's list), TLS 1.3 unaffected.
/// </summary>
public sealed class TlsCipherSuitesTests(TestCertificates certificates) : WithGateway, IClassFixture<TestCertificates>
{
    private readonly int _httpsPort = FreePort.Next();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Gateway:Tls:CertificatePath"] = certificates.CertificatePath;
        settings["Gateway:Tls:KeyPath"] = certificates.KeyPath;
        settings["Gateway:Tls:HttpsPort"] = _httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:Tls:HttpPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Gateway:Tls:CipherSuites:0"] = nameof(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
    }

    [Fact]
    public async Task A_tls_1_2_client_offering_a_listed_suite_gets_it()
    {
        var outcome = await TlsProbe.GetAsync(_httpsPort, SslProtocols.Tls12, "/api/x",
            [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]);

        Assert.Equal(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, outcome.CipherSuite);
        Assert.Equal(200, outcome.Response.Status);
    }

    [Fact]
    public async Task A_tls_1_2_client_offering_only_unlisted_suites_is_refused()
    {
        // The handshake fails (no shared cipher): no request is ever read.
        await Assert.ThrowsAsync<AuthenticationException>(() => TlsProbe.GetAsync(_httpsPort, SslProtocols.Tls12, "/api/x",
            [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]));
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task Tls_1_3_keeps_its_own_suites()
    {
        var outcome = await TlsProbe.GetAsync(_httpsPort, SslProtocols.Tls13, "/api/x");

        Assert.Equal(SslProtocols.Tls13, outcome.Protocol);
        Assert.Equal(200, outcome.Response.Status);
    }
}
