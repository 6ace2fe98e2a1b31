using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StarGuide.Testing;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// A real Kestrel upstream on a free loopback port. It reads every request body to the end before answering, and
/// counts the requests that reached it and the bodies it received complete, so that a test can tell "never forwarded"
/// from "forwarded but cut off".
/// </summary>
public sealed class EdgeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requestsStarted;
    private int _bodiesCompleted;

    private EdgeUpstream(WebApplication app, int port)
    {
        _app = app;
        Address = $"http://127.0.0.1:{port}";
    }

    public string Address { get; }

    /// <summary>Requests whose headers reached the upstream.</summary>
    public int RequestsStarted => Volatile.Read(ref _requestsStarted);

    /// <summary>Requests whose body the upstream read to its end without an error.</summary>
    public int BodiesCompleted => Volatile.Read(ref _bodiesCompleted);

    /// <summary>The last request received complete: its headers and body.</summary>
    public ReceivedRequest? LastRequest { get; private set; }

    /// <param name="respond">Writes the response; by default 200 with the body <c>ok</c> (text/plain).</param>
    public static async Task<EdgeUpstream> StartAsync(Func<HttpContext, Task>? respond = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new EdgeUpstream(app, port);
        app.UseWebSockets();
        app.Run(context => upstream.HandleAsync(context, respond ?? (c => c.Response.WriteAsync("ok"))));
        await app.StartAsync();
        return upstream;
    }

    private async Task HandleAsync(HttpContext context, Func<HttpContext, Task> respond)
    {
        Interlocked.Increment(ref _requestsStarted);
        using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            return;
        }
        Interlocked.Increment(ref _bodiesCompleted);
        LastRequest = new ReceivedRequest(
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
        await respond(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
