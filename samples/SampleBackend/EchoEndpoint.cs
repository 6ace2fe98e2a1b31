using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>
/// <c>/api/**</c>, any method, when no other endpoint matches: answers what it was sent, so that a test or a demo can
/// see what the load balancer forwarded and which instance got it.
/// </summary>
internal static class EchoEndpoint
{
    public static IEndpointRouteBuilder MapEcho(this IEndpointRouteBuilder app)
    {
        app.Map("/api/{**rest}", HandleAsync);
        return app;
    }

    public static async Task<IResult> HandleAsync(
        HttpRequest request, IOptions<SampleBackendOptions> options, CancellationToken cancellationToken)
    {
        var bodyLength = await CountBytesAsync(request.Body, cancellationToken);
        return TypedResults.Ok(new EchoResponse(
            options.Value.InstanceId,
            request.Method,
            request.Path,
            request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()),
            request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()),
            bodyLength));
    }

    /// <summary>Reads the body to its end, as a chunked body has no Content-Length to trust.</summary>
    private static async Task<long> CountBytesAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}

internal sealed record EchoResponse(
    string Instance,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    long BodyLength);
