using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>
/// <c>/api/ai/**</c>, any method: a slow call. It waits <see cref="SampleBackendOptions.AiDelay"/>, or
/// <c>?delayMs=N</c> (0..300000) when given, and stops waiting if the client goes away.
/// </summary>
internal static class AiEndpoints
{
    public const string QueryParameter = "delayMs";

    private static readonly int MaxDelayMs = (int)SampleBackendOptions.MaxAiDelay.TotalMilliseconds;

    public static IEndpointRouteBuilder MapAi(this IEndpointRouteBuilder app)
    {
        app.Map("/api/ai/{**rest}", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request, IOptions<SampleBackendOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var requested = QueryMilliseconds.Read(request.Query, QueryParameter, MaxDelayMs);
        if (requested.Error is not null)
        {
            return Problems.BadRequest(requested.Error);
        }

        var delay = requested.Value is { } milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : options.Value.AiDelay;
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Results.Empty; // The client is gone: nobody to answer.
        }

        return TypedResults.Ok(new AiResponse(
            options.Value.InstanceId, request.Method, request.Path, (long)delay.TotalMilliseconds, "42"));
    }
}

internal sealed record AiResponse(string Instance, string Method, string Path, long DelayMs, string Answer);
