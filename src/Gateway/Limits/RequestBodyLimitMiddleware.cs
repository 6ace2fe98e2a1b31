using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Limits;

/// <summary>
/// Answers 413 at once to a request that announces a body above the limit. Kestrel alone would let the request reach
/// the proxy and fail only when the body is read, by which time the upstream has the request's headers. A chunked body
/// that passes the limit mid-stream is still caught by Kestrel; the proxy then aborts the upstream request, so the
/// upstream never sees that body complete.
/// </summary>
/// <remarks>
/// Many clients (Python's http.client, most SDKs) write the whole body before they read anything. Closing right after
/// the 413 would reset the connection under them and they would report a broken pipe instead of the 413, so the body
/// is read and thrown away first (nginx's lingering close), up to <see cref="LimitsOptions.LingeringBytes"/> and
/// <see cref="LimitsOptions.LingeringTime"/>; a client that sends slower than Kestrel's minimum data rate is cut off
/// sooner. Then the connection closes.
/// </remarks>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options, TimeProvider time)
{
    private readonly long _maxBodyBytes = options.Value.MaxRequestBodyBytes;
    private readonly long _lingeringBytes = options.Value.LingeringBytes;
    private readonly TimeSpan _lingeringTime = options.Value.LingeringTime;

    public Task InvokeAsync(HttpContext context) =>
        context.Request.ContentLength > _maxBodyBytes ? RefuseAsync(context) : next(context);

    private async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close";
        await context.Response.CompleteAsync();
        if (_lingeringBytes == 0)
        {
            return;
        }
        // Kestrel would stop the read at the body limit with an error of its own; what is read here is discarded.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        using var deadline = new CancellationTokenSource(_lingeringTime, time);
        var reader = context.Request.BodyReader;
        long discarded = 0;
        try
        {
            while (discarded < _lingeringBytes)
            {
                var result = await reader.ReadAsync(deadline.Token);
                discarded += result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // Out of time, or the client went away or sent too slowly: the connection closes either way.
        }
        context.Abort();
    }
}
