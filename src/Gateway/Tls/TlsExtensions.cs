using System.Security.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
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
    /// With TLS on, a plain-HTTP request gets a 301 to <c>https://</c>, same path and query, to
    /// <see cref="TlsOptions.RedirectHost"/> when set, else to the request's host on the HTTPS port (left out when 443).
    /// </summary>
    public static WebApplication UseTls(this WebApplication app)
    {
        var tls = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;
        if (!tls.Enabled)
        {
            return app;
        }
        if (string.IsNullOrEmpty(tls.RedirectHost))
        {
            app.UseHttpsRedirection();
            return app;
        }
        // Validated at start. UseHttpsRedirection takes the host from the request, with no setting to fix it.
        RedirectHost.TryParse(tls.RedirectHost, tls.HttpsPort, out var authority);
        app.Use((context, next) =>
        {
            if (context.Request.IsHttps)
            {
                return next(context);
            }
            var request = context.Request;
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location =
                UriHelper.BuildAbsolute("https", authority, request.PathBase, request.Path, request.QueryString);
            return Task.CompletedTask;
        });
        return app;
    }
}
