using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StarGuide.Testing;

/// <summary>
/// A real Kestrel upstream on a loopback port: answers every path with its instance id (body and
/// <c>X-Instance-Id</c>), records what it received, and can be stopped and started again on the same port.
/// <c>?delayMs=N</c> answers after N ms; <c>?hold</c> keeps the request in flight until <see cref="ReleaseHeld"/>, so
/// that a test can act while it is certainly unanswered, however slow the machine.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly IPAddress _listenAddress;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _requests;
    private int _held;

    private TestUpstream(string instanceId, IPAddress listenAddress, int port)
    {
        InstanceId = instanceId;
        _listenAddress = listenAddress;
        Port = port;
    }

    public string InstanceId { get; }

    public int Port { get; }

    public Uri Address => new($"http://{_listenAddress}:{Port}");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests with <c>?hold</c> received and not answered yet.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets every held request be answered, and every later one go through at once.</summary>
    public void ReleaseHeld() => _released.TrySetResult();

    /// <summary>Every request received, oldest first.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <param name="listenAddress">
    /// A loopback address other than 127.0.0.1 (Linux answers on all of 127.0.0.0/8), for an upstream that is reachable
    /// but outside a network that admits 127.0.0.1 only; the port is free on 127.0.0.1, which is where it is checked.
    /// </param>
    public static async Task<TestUpstream> StartAsync(string instanceId, IPAddress? listenAddress = null)
    {
        var upstream = new TestUpstream(instanceId, listenAddress ?? IPAddress.Loopback, FreePort.Next());
        await upstream.StartAgainAsync();
        return upstream;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(_listenAddress, Port));
        var app = builder.Build();
        app.Run(async context =>
        {
            Interlocked.Increment(ref _requests);
            Received.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            context.Response.Headers["X-Instance-Id"] = InstanceId;
            // ?delayMs=N: a slow upstream, for timeout tests.
            if (int.TryParse(context.Request.Query["delayMs"], out var delayMs))
            {
                await Task.Delay(delayMs, context.RequestAborted);
            }
            if (context.Request.Query.ContainsKey("hold"))
            {
                Interlocked.Increment(ref _held);
                try
                {
                    await _released.Task.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                }
            }
            await context.Response.WriteAsync(InstanceId);
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            // Else a held request would make the stop wait for Kestrel's shutdown timeout.
            ReleaseHeld();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

/// <summary>What an upstream received: method, path with query, and headers (comma-joined values).</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
