using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace StarGuide.Gateway.Routing;

/// <summary>
/// For routes with <see cref="GatewayRouteOptions.SpaFallback"/>: a GET or HEAD for a path whose last segment has no
/// file extension (<c>/</c>, <c>/stars/andromeda</c>) is forwarded as <c>/index.html</c>, so that deep links into the
/// single-page app work whatever the frontend's static server does with unknown paths. The seed's
/// <c>try_files</c> meant this but cannot work beside <c>proxy_pass</c>.
/// </summary>
internal sealed class SpaFallbackTransformProvider : ITransformProvider
{
    public const string MetadataKey = "SpaFallback";
    private static readonly PathString IndexHtml = new("/index.html");

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.TryGetValue(MetadataKey, out var value) == true && value == "true")
        {
            context.AddRequestTransform(static transform =>
            {
                var request = transform.HttpContext.Request;
                if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !HasExtension(transform.Path))
                {
                    transform.Path = IndexHtml;
                }
                return ValueTask.CompletedTask;
            });
        }
    }

    private static bool HasExtension(PathString path)
    {
        var value = path.Value.AsSpan();
        var lastSegment = value[(value.LastIndexOf('/') + 1)..];
        return lastSegment.Contains('.');
    }
}
