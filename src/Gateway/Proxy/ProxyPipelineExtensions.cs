using StarGuide.Gateway.Retries;

namespace StarGuide.Gateway.Proxy;

internal static class ProxyPipelineExtensions
{
    /// <summary>
    /// Maps the proxy with its per-request pipeline. Order matters: load balancing picks the instance; retries wrap
    /// the attempt so that a failed one can be sent to another instance; passive health sits inside retries so that
    /// every attempt, a failed first one included, counts against the instance that made it. YARP's forwarder ends
    /// the pipeline.
    /// </summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseSessionAffinity(); // YARP's default pipeline has it; a no-op unless a cluster configures it
            pipeline.UseLoadBalancing();
            pipeline.UseRetries();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }
}
