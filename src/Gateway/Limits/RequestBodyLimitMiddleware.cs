using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Limits;

/// <summary>
/// Answers 413 at once to a request that announces a body above the limit. Kestrel alone would let the request reach
/// the proxy and fail only when the body is read, by which time the upstream has the request's headers. A chunked body
/// that passes the limit mid-stream is still caught by Kestrel; the proxy then aborts the upstream request, so the
/// upstream never sees that body complete.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<LimitsOptions> options)
{
    private readonly long _maxBodyBytes = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _maxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }
        return next(context);
    }
}
