using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace StarGuide.Testing;

/// <summary>
/// For a service hosted in the test process on a TestServer, where a request has no TCP peer: gives each request
/// 127.0.0.1, as a loopback client of the real service has, so that allow-lists judge it as they would on Kestrel
/// (a peer without an address is refused). Tests of the allow-lists themselves run on real Kestrel.
/// </summary>
public sealed class LoopbackPeer : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
