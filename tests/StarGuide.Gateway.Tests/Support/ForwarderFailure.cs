using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>What YARP's forwarder leaves on the context when an attempt fails.</summary>
internal sealed class ForwarderFailure(ForwarderError error, Exception? exception = null) : IForwarderErrorFeature
{
    public ForwarderError Error { get; } = error;

    public Exception? Exception { get; } = exception;

    public static HttpContext Context(ForwarderError? error = null, int status = StatusCodes.Status200OK)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        if (error is { } e)
        {
            context.Features.Set<IForwarderErrorFeature>(new ForwarderFailure(e));
        }
        return context;
    }
}
