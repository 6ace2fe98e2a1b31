namespace StarGuide.Gateway.Tests.Support;

public static class SeedSecurityHeaders
{
    /// <summary>The seed's <c>add_header … always</c> lines, word for word.</summary>
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>
    {
        ["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains",
        ["X-Frame-Options"] = "DENY",
        ["X-Content-Type-Options"] = "nosniff",
        ["X-XSS-Protection"] = "1; mode=block",
        ["Referrer-Policy"] = "strict-origin-when-cross-origin",
        ["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' https:; media-src 'self'; object-src 'none'; child-src 'none'; worker-src 'self'; frame-ancestors 'none'; upgrade-insecure-requests;",
    };

    /// <summary>Each seed header exactly once, with the seed's exact value.</summary>
    public static void AssertPresent(HttpResponseMessage response)
    {
        foreach (var (name, value) in Values)
        {
            Assert.True(response.Headers.TryGetValues(name, out var values), $"{name} is missing");
            Assert.Equal([value], values);
        }
    }

    /// <summary>Each seed header exactly once, with the seed's exact value, on a raw response.</summary>
    public static void AssertPresent(RawResponse response)
    {
        foreach (var (name, value) in Values)
        {
            Assert.Equal(value, response.Header(name));
        }
    }
}
