using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StarGuide.Testing;

namespace StarGuide.Scaler.Tests.Drivers.Kubernetes;

/// <summary>
/// A stand-in for the few Kubernetes API calls the driver makes (no cluster runs on test machines, so nothing here
/// was checked against a real API server): a Kestrel app on a free loopback port serving one Deployment's
/// <c>scale</c> subresource (GET, PUT with resourceVersion checks), its pods by label selector, and merge-PATCH of a
/// pod. Changing the replicas creates or deletes pods the way a ReplicaSet would, in <see cref="FakeCluster"/>.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubernetesApi(WebApplication app, int port, FakeCluster cluster)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}");
        Cluster = cluster;
    }

    public Uri Address { get; }

    public FakeCluster Cluster { get; }

    /// <summary>Every request, oldest first.</summary>
    public ConcurrentQueue<ApiRequest> Requests { get; } = new();

    /// <summary>The requests as "METHOD path?query", for asserting sequences.</summary>
    public IReadOnlyList<string> Calls => Requests.Select(r => $"{r.Method} {r.PathAndQuery}").ToList();

    public static async Task<FakeKubernetesApi> StartAsync(FakeCluster cluster)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var api = new FakeKubernetesApi(app, port, cluster);
        app.Use(async (context, next) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            api.Requests.Enqueue(new ApiRequest(
                context.Request.Method, context.Request.Path + WebUtility.UrlDecode(context.Request.QueryString.Value), context.Request.ContentType, body));
            context.Items["body"] = body;
            await next(context);
        });
        const string scale = "/apis/apps/v1/namespaces/{ns}/deployments/{name}/scale";
        app.MapGet(scale, (string ns, string name) => api.Answer(() => cluster.ReadScale(ns, name)));
        app.MapPut(scale, async (HttpContext context, string ns, string name) =>
        {
            await cluster.ScaleChangeArrivedAsync();
            return api.Answer(() => cluster.ReplaceScale(ns, name, KubernetesJson.Deserialize<V1Scale>((string)context.Items["body"]!)));
        });
        app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, string? labelSelector) => api.Answer(() => cluster.ListPods(ns, labelSelector)));
        app.MapPatch("/api/v1/namespaces/{ns}/pods/{name}", (HttpContext context, string ns, string name) =>
            api.Answer(() => cluster.PatchPod(ns, name, (string)context.Items["body"]!)));
        await app.StartAsync();
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Answer(Func<object> handle)
    {
        try
        {
            return Results.Text(KubernetesJson.Serialize(handle()), "application/json");
        }
        catch (FakeApiError error)
        {
            // KubernetesJson cannot write a V1Status, so the Status object is written as plain JSON.
            var status = new { kind = "Status", apiVersion = "v1", status = "Failure", message = error.Message, code = (int)error.Status };
            return Results.Json(status, statusCode: (int)error.Status);
        }
    }
}

/// <summary>One request the stand-in received; the path's query is URL-decoded.</summary>
internal sealed record ApiRequest(string Method, string PathAndQuery, string? ContentType, string Body);

/// <summary>An error answer of the stand-in (404, 409), as a Kubernetes <c>Status</c>.</summary>
internal sealed class FakeApiError(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
