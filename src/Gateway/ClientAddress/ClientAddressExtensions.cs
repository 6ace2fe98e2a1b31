using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using Yarp.ReverseProxy.Transforms;

namespace StarGuide.Gateway.ClientAddress;

/// <summary>
/// The client address is the TCP peer unless the peer is a trusted proxy; then ASP.NET's forwarded-headers
/// middleware takes it from <c>X-Forwarded-For</c>, stopping at the first address that is not a trusted proxy.
/// Upstreams get <c>X-Forwarded-For</c>/<c>X-Real-IP</c> set to that address (never the client's own values: the
/// seed's <c>$proxy_add_x_forwarded_for</c> passed them on) and no <c>Forwarded</c> header from the client.
/// </summary>
internal static class ClientAddressExtensions
{
    public static WebApplicationBuilder AddClientAddress(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ClientAddressOptions.SectionName).Get<ClientAddressOptions>() ?? new();
        var networks = ParseTrustedProxies(options.TrustedProxies);
        builder.Services.AddSingleton(new TrustedProxies(networks.Count > 0));
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET trusts loopback by default; here nothing is trusted that was not configured.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = null;
            foreach (var network in networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>
    /// Reads forwarded headers only from trusted proxies. Not installed at all without any: ASP.NET's middleware
    /// believes every peer when its lists are empty.
    /// </summary>
    public static WebApplication UseClientAddress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TrustedProxies>().Any)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    /// <summary>The forwarding headers upstreams get: the resolved client address, nothing the client chose.</summary>
    public static IReverseProxyBuilder AddClientAddressTransforms(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms =>
        {
            transforms.AddXForwarded(ForwardedTransformActions.Set);
            transforms.AddRequestHeaderRemove("Forwarded");
            transforms.AddRequestTransform(static context =>
            {
                context.ProxyRequest.Headers.Remove("X-Real-IP");
                if (context.HttpContext.Connection.RemoteIpAddress is { } client)
                {
                    context.ProxyRequest.Headers.TryAddWithoutValidation("X-Real-IP", client.ToString());
                }
                return ValueTask.CompletedTask;
            });
        });

    internal static List<IPNetwork> ParseTrustedProxies(List<string> entries)
    {
        var networks = new List<IPNetwork>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException(
                    $"{ClientAddressOptions.SectionName}:TrustedProxies:{i} must be an IP address or a CIDR network; it is '{entry}'.");
            }
        }
        return networks;
    }
}

/// <summary>Whether any trusted proxy is configured.</summary>
internal sealed record TrustedProxies(bool Any);
