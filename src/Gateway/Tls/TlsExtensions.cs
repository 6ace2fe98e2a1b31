using System.Security.Authentication;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.FrontDoor;
using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.Tls;

internal static class TlsExtensions
{
    /// <summary>
    /// Binds and validates <c>Gateway:Tls</c> at start and, when a certificate is configured, makes Kestrel listen on
    /// the HTTPS port (TLS 1.2 and 1.3 only, HTTP/1.1 and HTTP/2 as nginx's <c>ssl http2</c>) and on the HTTP port.
    /// Explicit listeners replace the <c>ASPNETCORE_URLS</c> addresses.
    /// </summary>
    public static WebApplicationBuilder AddTls(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TlsOptions, TlsOptionsValidator>(TlsOptions.SectionName);

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<TlsOptions>>((kestrel, options) =>
        {
            var tls = options.Value;
            if (!tls.Enabled)
            {
                return;
            }
            var certificate = TlsCertificate.Load(tls);
            var cipherSuites = TlsCipherSuites.Policy(tls);
            kestrel.ListenAnyIP(tls.HttpPort);
            kestrel.ListenAnyIP(tls.HttpsPort, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate.Certificate;
                https.ServerCertificateChain = certificate.Chain;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                if (cipherSuites is not null && !OperatingSystem.IsWindows())
                {
                    https.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = cipherSuites;
                }
            }).UseStrictHttp1());
        });

        builder.Services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<TlsOptions>>((redirect, tls) =>
        {
            // 301 as the seed's `return 301 https://…`: permanent, so browsers and crawlers remember it.
            redirect.RedirectStatusCode = StatusCodes.Status301MovedPermanently;
            redirect.HttpsPort = tls.Value.HttpsPort;
        });
        return builder;
    }

    /// <summary>
    /// With TLS on, a plain-HTTP request gets a 301 to <c>https://</c>, same host, the HTTPS port (left out when 443),
    /// same path and query.
    /// </summary>
    public static WebApplication UseTls(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TlsOptions>>().Value.Enabled)
        {
            app.UseHttpsRedirection();
        }
        return app;
    }
}
