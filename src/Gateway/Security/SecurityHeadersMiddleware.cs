using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace StarGuide.Gateway.Security;

/// <summary>
/// Sets the configured headers just before the response starts, whoever produced it: the upstream (its own value for
/// the same header is replaced), the proxy's 502/503/504, a 404, a 413, a 429. Setting them at start rather than up
/// front is what keeps them: the proxy and error handlers clear the response headers before they write their own.
/// Out of reach: the 400/414/431 that Kestrel writes itself for a request it cannot parse, before any middleware exists
/// for it. The front door (<see cref="FrontDoor.Http1FramingValidator"/>) refuses most of those first, with the headers.
/// </summary>
internal sealed class SecurityHeadersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly KeyValuePair<string, StringValues>[] _headers;
    private readonly Func<object, Task> _setHeaders;

    public SecurityHeadersMiddleware(RequestDelegate next, IOptions<SecurityHeadersOptions> options)
    {
        _next = next;
        _headers = [.. options.Value
            .Where(h => !string.IsNullOrEmpty(h.Value))
            .Select(h => KeyValuePair.Create(h.Key, new StringValues(h.Value)))];
        _setHeaders = SetHeaders;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // One cached delegate and the context as its state: nothing is allocated per request.
        context.Response.OnStarting(_setHeaders, context);
        return _next(context);
    }

    private Task SetHeaders(object state)
    {
        var headers = ((HttpContext)state).Response.Headers;
        foreach (var (name, value) in _headers)
        {
            headers[name] = value;
        }
        return Task.CompletedTask;
    }
}
