using StarGuide.ServiceDefaults;
using Yarp.ReverseProxy.Transforms;

namespace StarGuide.Gateway.Security;

internal static class SecurityHeadersExtensions
{
    /// <summary>Binds and validates <c>Gateway:SecurityHeaders</c> at start.</summary>
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SecurityHeadersOptions, SecurityHeadersOptionsValidator>(SecurityHeadersOptions.SectionName);
        // nginx's server_tokens off, and more: no software name at all in the gateway's own answers.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// Drops the upstream's <c>Server</c> header (nginx hides it by default: <c>proxy_hide_header</c>), so that neither
    /// the gateway nor the instances behind it name their software to clients.
    /// </summary>
    public static IReverseProxyBuilder AddServerHeaderRemoval(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(static transforms => transforms.AddResponseHeaderRemove("Server", ResponseCondition.Always));

    /// <summary>
    /// Must come first in the pipeline. Kestrel answers an exception that escapes the pipeline with a bare 500 that
    /// skips the response-start callbacks, so the exception handler turns it into a 500 (or the 4xx of a bad request)
    /// that does go through them.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = _ => Task.CompletedTask,
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        return app;
    }
}
