namespace StarGuide.SampleFrontend;

/// <summary>
/// What the static files middleware did not serve: a missing asset is a plain 404, <c>/api/**</c> is a 404 that
/// says it belongs to the backend, and any other GET (a client-side route such as <c>/some/deep/link</c>) gets
/// <c>index.html</c>.
/// </summary>
internal static class SinglePageAppEndpoints
{
    public static IEndpointRouteBuilder MapSinglePageApp(this IEndpointRouteBuilder app)
    {
        // Without this, /static/missing (no extension) would get index.html from the fallback.
        app.Map("/static/{**rest}", () => Results.NotFound());

        // In the deployment the load balancer sends /api/** to the backend; here it can only be a routing mistake,
        // which index.html (200, HTML) would hide from the page's fetch.
        app.Map("/api/{**rest}", () => Results.Problem(
            "This is the front end: /api/ belongs to the backend, behind the load balancer.",
            statusCode: StatusCodes.Status404NotFound));

        // Only paths without a file extension ({*path:nonfile}), and only GET/HEAD: /missing.png stays a 404.
        app.MapFallbackToFile("index.html")
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        return app;
    }
}
