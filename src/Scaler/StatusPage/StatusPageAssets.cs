namespace StarGuide.Scaler.StatusPage;

/// <summary>
/// The page's HTML, CSS and script, embedded in the scaler's assembly (StatusPage/Assets): nothing is fetched from
/// anywhere but the scaler, so the page works where no CDN is reachable and its Content-Security-Policy can say
/// <c>'self'</c> only.
/// </summary>
internal sealed class StatusPageAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _assets;

    public StatusPageAssets()
    {
        _assets = new(StringComparer.Ordinal)
        {
            ["index.html"] = (Read("index.html"), "text/html; charset=utf-8"),
            ["status.css"] = (Read("status.css"), "text/css; charset=utf-8"),
            ["status.js"] = (Read("status.js"), "text/javascript; charset=utf-8"),
            ["login.html"] = (Read("login.html"), "text/html; charset=utf-8"),
        };
    }

    /// <summary>The sign-in page, with <paramref name="problem"/> (plain text, escaped here) shown above the form.</summary>
    public IResult Login(string? problem, int statusCode)
    {
        var html = System.Text.Encoding.UTF8.GetString(_assets["login.html"].Content);
        if (problem is not null)
        {
            html = html.Replace("<!--problem-->", $"<p class=\"problem\" role=\"alert\">{System.Net.WebUtility.HtmlEncode(problem)}</p>", StringComparison.Ordinal);
        }
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    public IResult Serve(string name) =>
        _assets.TryGetValue(name, out var asset) ? Results.Bytes(asset.Content, asset.ContentType) : Results.NotFound();

    private static byte[] Read(string name)
    {
        var resource = $"StatusPage/{name}";
        using var stream = typeof(StatusPageAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The scaler was built without its status page asset '{resource}' (EmbeddedResource in StarGuide.Scaler.csproj).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
