using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace StarGuide.Gateway.Tests.Retries;

/// <summary>
/// The per-try timeout without a network, on a fake clock: which requests get one (<see cref="TryTimeoutTransformProvider"/>)
/// and what it cancels (<see cref="TryTimeoutHandler"/>).
/// </summary>
public class TryTimeoutUnitTests
{
    private static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly HangingHandler _instance = new();

    [Fact]
    public async Task An_attempt_without_response_headers_after_the_try_timeout_is_cancelled()
    {
        using var invoker = new HttpMessageInvoker(new TryTimeoutHandler(_instance, _time));

        var send = invoker.SendAsync(Marked(TryTimeout), CancellationToken.None);
        await _instance.Started;
        _time.Advance(TryTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(send.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(send));
    }

    [Fact]
    public async Task An_attempt_is_cancelled_when_the_client_goes_away_before_its_try_timeout()
    {
        using var invoker = new HttpMessageInvoker(new TryTimeoutHandler(_instance, _time));
        using var client = new CancellationTokenSource();

        var send = invoker.SendAsync(Marked(TryTimeout), client.Token);
        await _instance.Started;
        client.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(send));
    }

    [Fact]
    public async Task An_unmarked_attempt_waits_as_long_as_it_takes()
    {
        using var invoker = new HttpMessageInvoker(new TryTimeoutHandler(_instance, _time));
        using var client = new CancellationTokenSource();

        var send = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://instance/"), client.Token);
        await _instance.Started;
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(send.IsCompleted);

        client.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(send));
    }

    [Fact]
    public async Task An_answer_within_the_try_timeout_is_passed_on()
    {
        using var invoker = new HttpMessageInvoker(new TryTimeoutHandler(new AnsweringHandler(), _time));

        using var response = await invoker.SendAsync(Marked(TryTimeout), CancellationToken.None);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("api", "GET", false, true)]
    [InlineData("API", "HEAD", false, true)] // route names ignore case, as in configuration
    [InlineData("api", "POST", true, false)] // reached the instance: never sent again, so never cut short
    [InlineData("api", "PUT", false, false)]
    [InlineData("api", "PUT", true, true)]
    [InlineData("ai", "GET", false, false)] // a route without a TryTimeout
    [InlineData("unknown", "GET", false, false)]
    public async Task Only_idempotent_requests_of_routes_with_a_TryTimeout_are_marked(string routeId, string method, bool putAndDelete, bool marked)
    {
        var routes = new GatewayRoutesOptions
        {
            ["api"] = new GatewayRouteOptions { TryTimeout = TryTimeout },
            ["ai"] = new GatewayRouteOptions(),
        };
        var provider = new TryTimeoutTransformProvider(Options.Create(routes), new StaticOptions(new RetryOptions { RetryPutAndDelete = putAndDelete }));
        var builder = new TransformBuilderContext { Route = new RouteConfig { RouteId = routeId } };

        provider.Apply(builder);
        var proxyRequest = new HttpRequestMessage();
        foreach (var transform in builder.RequestTransforms)
        {
            var context = new DefaultHttpContext();
            context.Request.Method = method;
            await transform.ApplyAsync(new RequestTransformContext { HttpContext = context, ProxyRequest = proxyRequest });
        }

        Assert.Equal(marked, proxyRequest.Options.TryGetValue(TryTimeoutHandler.RequestOptionsKey, out var timeout));
        Assert.Equal(marked ? TryTimeout : TimeSpan.Zero, timeout);
    }

    [Fact]
    public void A_route_without_a_TryTimeout_gets_no_transform_at_all()
    {
        var provider = new TryTimeoutTransformProvider(Options.Create(new GatewayRoutesOptions { ["ai"] = new GatewayRouteOptions() }),
            new StaticOptions(new RetryOptions()));
        var builder = new TransformBuilderContext { Route = new RouteConfig { RouteId = "ai" } };

        provider.Apply(builder);

        Assert.Empty(builder.RequestTransforms);
    }

    /// <summary>Fails, rather than hangs, a test whose attempt is never cancelled.</summary>
    private static Task Bounded(Task send) => send.WaitAsync(TimeSpan.FromSeconds(30));

    private static HttpRequestMessage Marked(TimeSpan timeout)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://instance/");
        request.Options.Set(TryTimeoutHandler.RequestOptionsKey, timeout);
        return request;
    }

    /// <summary>An instance that accepts the request and never sends its headers.</summary>
    private sealed class HangingHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    private sealed class AnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
    }

    private sealed class StaticOptions(RetryOptions value) : IOptionsMonitor<RetryOptions>
    {
        public RetryOptions CurrentValue => value;

        public RetryOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetryOptions, string?> listener) => null;
    }
}
