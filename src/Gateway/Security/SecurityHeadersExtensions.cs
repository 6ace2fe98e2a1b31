using StarGuide.ServiceDefaults;

namespace StarGuide.Gateway.Security;

internal static class SecurityHeadersExtensions
{
    /// <summary>Binds and validates <c>Gateway:SecurityHeaders</c> at start.</summary>
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SecurityHeadersOptions, SecurityHeadersOptionsValidator>(SecurityHeadersOptions.SectionName);
        return builder;
    }

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
