namespace StarGuide.Gateway.Retries;

/// <summary>
/// Envoy's <c>per_try_timeout</c>: an attempt whose instance has not sent its response headers within the route's
/// <see cref="Routing.GatewayRouteOptions.TryTimeout"/> is cancelled. YARP reports that as
/// <c>ForwarderError.RequestTimedOut</c>, which passive health counts against the instance and
/// <see cref="RetryMiddleware"/> retries once on another instance (idempotent requests only: the request did reach
/// the instance). Only the wait for headers is bounded: once they arrive the response may stream as long as the
/// route's <c>Timeout</c> allows, since a response that has begun cannot be retried.
/// </summary>
internal sealed class TryTimeoutHandler(HttpMessageHandler inner, TimeProvider time) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<TimeSpan> RequestOptionsKey = new("StarGuide.TryTimeout");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(RequestOptionsKey, out var timeout)
            ? SendWithinAsync(request, timeout, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendWithinAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = new CancellationTokenSource(timeout, time);
        using var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), attempt);
        // The token matters only until the headers are in: SocketsHttpHandler drops it when SendAsync returns, so
        // disposing it afterwards does not touch the response body.
        return await base.SendAsync(request, attempt.Token);
    }
}
