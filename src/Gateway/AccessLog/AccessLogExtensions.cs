using StarGuide.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace StarGuide.Gateway.AccessLog;

internal static class AccessLogExtensions
{
    public static WebApplicationBuilder AddAccessLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AccessLogOptions, AccessLogOptionsValidator>(AccessLogOptions.SectionName);
        builder.Services.AddSingleton<AccessLogWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        return builder;
    }

    /// <summary>Hands the request's entry to the connect callback and marks when the upstream's headers arrived.</summary>
    public static IReverseProxyBuilder AddUpstreamTimingTransforms(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms =>
        {
            transforms.AddRequestTransform(static context =>
            {
                if (context.HttpContext.Features.Get<AccessLogEntry>() is { } entry)
                {
                    context.ProxyRequest.Options.Set(AccessLogEntry.RequestOptionsKey, entry);
                }
                return ValueTask.CompletedTask;
            });
            transforms.AddResponseTransform(static context =>
            {
                if (context.HttpContext.Features.Get<AccessLogEntry>() is { } entry)
                {
                    entry.UpstreamHeaders = System.Diagnostics.Stopwatch.GetTimestamp();
                }
                return ValueTask.CompletedTask;
            });
        });
}
