using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// A real Kestrel upstream on a free loopback port: answers every request with its instance id, counts requests by
/// method, keeps the request bodies it received, can hold requests until released, can read a request and then drop
/// the connection instead of answering, and can be stopped and started again on the same port.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _requestsByMethod = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _bodies = new();
    private WebApplication? _app;
    private TaskCompletionSource? _hold;
    private int _requests;
    private int _waiting;

    private ScriptedUpstream(string instanceId, int port)
    {
        InstanceId = instanceId;
        Port = port;
    }

    public string InstanceId { get; }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>When true, the upstream reads each request and then aborts the connection without answering.</summary>
    public bool DropAfterReadingRequest { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests held by <see cref="Hold"/> that have not been released yet.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public IReadOnlyCollection<string> Bodies => _bodies;

    public int RequestsFor(string method) => _requestsByMethod.GetValueOrDefault(method);

    public static async Task<ScriptedUpstream> StartAsync(string instanceId)
    {
        var upstream = new ScriptedUpstream(instanceId, Testing.FreePort.Next());
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
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
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
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (body.Length > 0)
        {
            _bodies.Enqueue(body);
        }
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
        context.Response.Headers["X-Instance-Id"] = InstanceId;
        await context.Response.WriteAsync(InstanceId, context.RequestAborted);
    }
}
