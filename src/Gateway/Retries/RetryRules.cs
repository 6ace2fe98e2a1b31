using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Retries;

/// <summary>What may be sent again after a failed attempt; see <see cref="RetryMiddleware"/> for the rules in words.</summary>
internal static class RetryRules
{
    /// <summary>
    /// Keeps a small idempotent body in memory (never on disk) so that it can be sent again. Bodyless requests, the
    /// common case, cost one header check.
    /// </summary>
    public static bool KeepBodyForReplay(HttpRequest request, RetryOptions options)
    {
        if (request.ContentLength is not (> 0 and var length)
            || length > options.MaxBufferedBodyBytes
            || !IsIdempotent(request.Method, options))
        {
            return false;
        }
        request.EnableBuffering(bufferThreshold: (int)length, bufferLimit: length);
        return true;
    }

    /// <summary>Whether the request may go to another instance after this failed attempt.</summary>
    public static bool MayRetry(HttpContext context, IForwarderErrorFeature error, RetryOptions options, bool replayableBody)
    {
        if (context.Response.HasStarted
            || context.RequestAborted.IsCancellationRequested
            || !FailedAttempt.BeforeResponse(error.Error))
        {
            return false;
        }
        if (FailedAttempt.NothingWasSent(error.Exception))
        {
            return true;
        }
        return IsIdempotent(context.Request.Method, options) && (replayableBody || !HasBody(context.Request));
    }

    public static bool IsIdempotent(string method, RetryOptions options) =>
        HttpMethods.IsGet(method)
        || HttpMethods.IsHead(method)
        || HttpMethods.IsOptions(method)
        || (options.RetryPutAndDelete && (HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)));

    private static bool HasBody(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0);
}
