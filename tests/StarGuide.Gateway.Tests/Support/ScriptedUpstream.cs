using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// A real Kestrel upstream on a free loopback port. It reads every request body to the end before answering (with its
/// instance id, or as the test says), counts requests by method and the bodies it received complete (so that a test
/// can tell "never forwarded" from "forwarded but cut off"), keeps the last request whole, can hold requests until
/// released, can read a request and then drop the connection instead of answering, and can be stopped and started
/// again on the same port.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _requestsByMethod = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly Func<HttpContext, Task> _respond;
    private WebApplication? _app;
    private TaskCompletionSource? _hold;
    private int _requests;
    private int _bodiesCompleted;
    private int _waiting;

    private ScriptedUpstream(string instanceId, int port, Func<HttpContext, Task>? respond)
    {
        InstanceId = instanceId;
        Port = port;
        _respond = respond ?? AnswerWithInstanceId;
    }

    public string InstanceId { get; }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>When true, the upstream reads each request and then aborts the connection without answering.</summary>
    public bool DropAfterReadingRequest { get; set; }

    /// <summary>Requests whose headers reached the upstream.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests whose body the upstream read to its end without an error.</summary>
    public int BodiesCompleted => Volatile.Read(ref _bodiesCompleted);

    /// <summary>Requests held by <see cref="Hold"/> that have not been released yet.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>The non-empty request bodies received complete, as UTF-8 text, oldest first.</summary>
    public IReadOnlyCollection<string> Bodies => _bodies;

    /// <summary>The last request received complete: its headers and body.</summary>
    public UpstreamRequest? LastRequest { get; private set; }

    public int RequestsFor(string method) => _requestsByMethod.GetValueOrDefault(method);

    /// <param name="instanceId">Answered in the body and <c>X-Instance-Id</c> unless <paramref name="respond"/> is given.</param>
    /// <param name="respond">Writes the response once the request body has been read.</param>
    public static async Task<ScriptedUpstream> StartAsync(string instanceId = "upstream", Func<HttpContext, Task>? respond = null)
    {
        var upstream = new ScriptedUpstream(instanceId, Testing.FreePort.Next(), respond);
        await upstream.StartAgainAsync();
        return upstream;
    }

    /// <summary>Requests wait from now on until <see cref="Release"/>.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, Port);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        Release();
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _requestsByMethod.AddOrUpdate(context.Request.Method, 1, (_, n) => n + 1);
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
        if (body.Length > 0)
        {
            _bodies.Enqueue(System.Text.Encoding.UTF8.GetString(body.ToArray()));
        }
        LastRequest = new UpstreamRequest(
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray());
        if (DropAfterReadingRequest)
        {
            context.Abort();
            return;
        }
        if (Volatile.Read(ref _hold) is { } hold)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        await _respond(context);
    }

    private Task AnswerWithInstanceId(HttpContext context)
    {
        context.Response.Headers["X-Instance-Id"] = InstanceId;
        return context.Response.WriteAsync(InstanceId, context.RequestAborted);
    }
}

/// <summary>A request as an upstream received it: path with query, headers (comma-joined values) and body.</summary>
public sealed record UpstreamRequest(string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
