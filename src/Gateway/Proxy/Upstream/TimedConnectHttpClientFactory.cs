using System.Diagnostics;
using System.Net.Sockets;
using StarGuide.Gateway.AccessLog;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Proxy.Upstream;

/// <summary>
/// YARP's upstream client with the pool's connect timeout, the per-try timeout and a connect callback that times new connections (the
/// log's <c>uct</c>). It connects as SocketsHttpHandler does by default (TCP, no Nagle); kept-alive connections skip
/// it and log 0.
/// </summary>
internal sealed class TimedConnectHttpClientFactory(TimeProvider time) : ForwarderHttpClientFactory
{
    /// <summary>Per-try timeouts (<see cref="Retries.TryTimeoutHandler"/>) wrap every pool's handler.</summary>
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new Retries.TryTimeoutHandler(base.WrapHandler(context, handler), time);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = UpstreamConnections.ConnectTimeout(context.NewMetadata);
        handler.ConnectCallback = static async (connect, cancellationToken) =>
        {
            var start = Stopwatch.GetTimestamp();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(connect.DnsEndPoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            if (connect.InitialRequestMessage.Options.TryGetValue(AccessLogEntry.RequestOptionsKey, out var entry))
            {
                entry.ConnectTicks = Math.Max(1, Stopwatch.GetTimestamp() - start);
            }
            return new NetworkStream(socket, ownsSocket: true);
        };
    }
}
