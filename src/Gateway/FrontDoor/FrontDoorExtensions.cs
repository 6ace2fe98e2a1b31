using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Limits;
using StarGuide.Gateway.Tls;

namespace StarGuide.Gateway.FrontDoor;

internal static class FrontDoorExtensions
{
    /// <summary>
    /// Puts <see cref="StrictHttp1PipeReader"/> in front of Kestrel on every plain-HTTP listener (as a connection
    /// middleware) and behind TLS on the HTTPS one (<see cref="UseStrictHttp1"/>, called by the TLS setup).
    /// </summary>
    public static WebApplicationBuilder AddFrontDoor(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FrontDoorOptions>().BindConfiguration(FrontDoorOptions.SectionName);
        builder.Services.AddSingleton<FrontDoorResponses>();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<FrontDoorOptions>, IOptions<TlsOptions>>((kestrel, frontDoor, tls) =>
            {
                if (!frontDoor.Value.StrictHttp1)
                {
                    return;
                }
                var httpsPort = tls.Value.Enabled ? tls.Value.HttpsPort : -1;
                // Endpoint defaults run before an endpoint's own setup, i.e. before TLS: the HTTPS listener gets the
                // filter from the TLS setup instead, after decryption.
                kestrel.ConfigureEndpointDefaults(listen =>
                {
                    if (listen.IPEndPoint?.Port != httpsPort)
                    {
                        listen.UseStrictHttp1();
                    }
                });
            });
        return builder;
    }

    public static ListenOptions UseStrictHttp1(this ListenOptions listen)
    {
        var services = listen.ApplicationServices;
        if (!services.GetRequiredService<IOptions<FrontDoorOptions>>().Value.StrictHttp1)
        {
            return listen;
        }
        var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var responses = services.GetRequiredService<FrontDoorResponses>();
        listen.Use(next => connection =>
        {
            // HTTP/2 (negotiated by ALPN) has framing of its own.
            if (connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) == true)
            {
                return next(connection);
            }
            var transport = connection.Transport;
            var validator = new Http1FramingValidator(limits.MaxRequestLineBytes, limits.MaxRequestHeadersTotalBytes);
            var input = new StrictHttp1PipeReader(transport.Input, validator, async status =>
            {
                await transport.Output.WriteAsync(responses.For(status));
            });
            connection.Transport = new DuplexPipe(input, transport.Output);
            connection.Features.Set(input); // for UseFrontDoor: a 101 switches the check off
            return next(connection);
        });
        return listen;
    }

    /// <summary>
    /// <c>CONNECT</c> is not proxied (nginx answers it 405 as well; YARP answered 502). A request that Kestrel could
    /// upgrade gets <see cref="StrictHttp1UpgradeFeature"/>, so that strict framing stops only once a 101 is sent.
    /// </summary>
    public static WebApplication UseFrontDoor(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (HttpMethods.IsConnect(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";
                return Task.CompletedTask;
            }
            // IsUpgradableRequest first: a field Kestrel has already set; the connection feature lookup is dearer.
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
                && context.Features.Get<StrictHttp1PipeReader>() is { } strict)
            {
                context.Features.Set<IHttpUpgradeFeature>(new StrictHttp1UpgradeFeature(upgrade, strict));
            }
            return next(context);
        });
        return app;
    }

    private sealed class DuplexPipe(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output)
        : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input { get; } = input;

        public System.IO.Pipelines.PipeWriter Output { get; } = output;
    }
}
