using StarGuide.ServiceDefaults;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Retries;

internal static class RetriesExtensions
{
    /// <summary>Binds and validates <c>Gateway:Retries</c>.</summary>
    public static WebApplicationBuilder AddRetries(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RetryOptions, RetryOptionsValidator>(RetryOptions.SectionName);
        builder.Services.AddSingleton<RetryMetrics>();
        return builder;
    }

    /// <summary>Adds <see cref="RetryMiddleware"/> to the proxy pipeline; place it after load balancing.</summary>
    public static IReverseProxyApplicationBuilder UseRetries(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<RetryMiddleware>();
        return pipeline;
    }
}
