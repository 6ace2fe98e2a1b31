using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// Stands in for YARP's forwarder so that a test can make the innermost part of the gateway's pipeline answer by itself
/// (as a rate limiter's 429 will) or throw (as a bug would), without an upstream.
/// </summary>
public sealed class StubForwarder(Func<HttpContext, Task> respond) : IHttpForwarder
{
    public async ValueTask<ForwarderError> SendAsync(
        HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient,
        ForwarderRequestConfig requestConfig, HttpTransformer transformer)
    {
        await respond(context);
        return ForwarderError.None;
    }
}
