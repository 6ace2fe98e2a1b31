namespace StarGuide.Gateway.Routing;

/// <summary>One route of the front door (an nginx <c>location</c>), under <c>Gateway:Routes:&lt;name&gt;</c>.</summary>
public sealed class GatewayRouteOptions
{
    /// <summary>ASP.NET route template, e.g. <c>/api/auth/{**rest}</c>; the most specific template wins.</summary>
    public string Path { get; set; } = "";

    /// <summary>The pool (<c>Pools:&lt;name&gt;</c>) that serves it.</summary>
    public string Pool { get; set; } = "";

    /// <summary>Rate-limit zone (<c>Gateway:RateLimiting:Zones:&lt;name&gt;</c>); none: not limited.</summary>
    public string? RateLimitZone { get; set; }

    /// <summary>Longest time a request may take, upstream included (nginx <c>proxy_read_timeout</c>); 504 after.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Per-try timeout (Envoy <c>per_try_timeout</c>) for idempotent requests: an instance that has not sent response
    /// headers within it counts as failed (passive health) and the request is sent once more to another instance.
    /// None (the default): an attempt waits as long as <see cref="Timeout"/>; leave it off on routes that are slow by
    /// design (<c>/api/ai</c>).
    /// </summary>
    public TimeSpan? TryTimeout { get; set; }

    /// <summary>Whether requests are written to the access log (the seed does not log health checks).</summary>
    public bool AccessLog { get; set; } = true;

    /// <summary>Client networks allowed (CIDR, e.g. <c>10.0.0.0/8</c>); others get 403. Empty: everyone.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Cache lifetime for successful responses (nginx <c>expires</c>): sets Expires and max-age.</summary>
    public TimeSpan? Expires { get; set; }

    /// <summary>Extra Cache-Control directives (nginx <c>add_header Cache-Control</c>), e.g. <c>public, no-transform</c>.</summary>
    public string? CacheControl { get; set; }

    /// <summary>
    /// Whether the upstream receives the client's <c>Host</c> header (nginx <c>proxy_set_header Host $host</c>, the
    /// seed's), so that virtual hosts, absolute URLs and cookies see the name the client used. False: the instance's
    /// own address (<c>127.0.0.1:18001</c>), YARP's default.
    /// </summary>
    public bool PreserveHost { get; set; } = true;

    /// <summary>
    /// Single-page-app fallback (what the seed's <c>try_files $uri /index.html</c> meant): a GET or HEAD for a path
    /// whose last segment has no file extension is forwarded as <c>/index.html</c>.
    /// </summary>
    public bool SpaFallback { get; set; }
}
