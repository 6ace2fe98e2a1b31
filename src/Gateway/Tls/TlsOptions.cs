namespace StarGuide.Gateway.Tls;

/// <summary>
/// HTTPS from a PEM certificate and key (section <c>Gateway:Tls</c>). Without a certificate path the gateway serves
/// plain HTTP on the addresses of <c>ASPNETCORE_URLS</c>/<c>--urls</c>; with one it listens on every interface on
/// <see cref="HttpsPort"/> (TLS 1.2 and 1.3) and on <see cref="HttpPort"/>, which answers every request with a 301 to
/// HTTPS. Ports below 1024 need the CAP_NET_BIND_SERVICE capability (or root) on Linux.
/// </summary>
internal sealed class TlsOptions
{
    public const string SectionName = "Gateway:Tls";

    /// <summary>PEM file with the server certificate, optionally followed by its intermediate chain (sent too).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the certificate's private key (PKCS#1, PKCS#8 or SEC1), unencrypted.</summary>
    public string? KeyPath { get; set; }

    /// <summary>TCP port for HTTPS (nginx <c>listen 443 ssl</c>).</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>TCP port for plain HTTP, which only redirects to HTTPS (nginx <c>listen 80</c>).</summary>
    public int HttpPort { get; set; } = 80;

    /// <summary>
    /// TLS 1.2 cipher suites by their IANA names (e.g. <c>TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384</c>), as nginx's
    /// <c>ssl_ciphers</c>; empty: the system's OpenSSL defaults. TLS 1.3 keeps its own suites, as with nginx.
    /// </summary>
    public List<string> CipherSuites { get; set; } = [];

    /// <summary>
    /// Host (<c>edge.example.com</c>) or host and port (<c>edge.example.com:8443</c>) that the HTTP port's 301 points
    /// to whatever <c>Host</c> the request carried; without a port, <see cref="HttpsPort"/> follows it (left out when
    /// 443). No scheme, path or user; an internationalised name in its ASCII (<c>xn--</c>) form.
    /// Unset: the request's own <c>Host</c>, as nginx's <c>return 301 https://$host$request_uri</c>. Any <c>Host</c> is
    /// accepted (AllowedHosts <c>*</c>), so a client can make the redirect point anywhere: harmless to that client
    /// alone, but a shared cache in front of the HTTP port may store that redirect and serve it to everyone.
    /// </summary>
    public string? RedirectHost { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath);
}
