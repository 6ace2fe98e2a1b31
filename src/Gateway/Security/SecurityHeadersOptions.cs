namespace StarGuide.Gateway.Security;

/// <summary>
/// Response headers set on every response (section <c>Gateway:SecurityHeaders</c>, header name to value). The defaults
/// are the seed's <c>add_header … always</c> lines; configuration adds headers or replaces a default's value, and an
/// empty value turns a default off, e.g. <c>Gateway:SecurityHeaders:Strict-Transport-Security=""</c>.
/// </summary>
internal sealed class SecurityHeadersOptions : Dictionary<string, string>
{
    public const string SectionName = "Gateway:SecurityHeaders";

    public SecurityHeadersOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
        // Sent on plain HTTP too, as the seed's nginx does: browsers ignore HSTS received over HTTP (RFC 6797 8.1),
        // so it is harmless there, and a gateway behind a TLS-terminating balancer still tells browsers to use HTTPS.
        this["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
        this["X-Frame-Options"] = "DENY";
        this["X-Content-Type-Options"] = "nosniff";
        this["X-XSS-Protection"] = "1; mode=block";
        this["Referrer-Policy"] = "strict-origin-when-cross-origin";
        this["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' https:; media-src 'self'; "
            + "object-src 'none'; child-src 'none'; worker-src 'self'; frame-ancestors 'none'; upgrade-insecure-requests;";
    }
}
