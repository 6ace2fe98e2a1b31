using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>Adds <c>X-Instance-Id</c> to every response, errors and 404s included.</summary>
internal sealed class InstanceIdMiddleware(RequestDelegate next, IOptions<SampleBackendOptions> options)
{
    public const string HeaderName = "X-Instance-Id";

    private readonly string _instanceId = options.Value.InstanceId;

    public Task InvokeAsync(HttpContext context)
    {
        // Set when the response starts rather than now, so that an error page that clears the headers keeps it.
        context.Response.OnStarting(
            static state =>
            {
                var (response, instanceId) = ((HttpResponse, string))state;
                response.Headers[HeaderName] = instanceId;
                return Task.CompletedTask;
            },
            (context.Response, _instanceId));
        return next(context);
    }
}
