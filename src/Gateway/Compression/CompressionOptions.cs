using System.ComponentModel.DataAnnotations;

namespace StarGuide.Gateway.Compression;

/// <summary>Response compression, brotli and gzip (section <c>Gateway:Compression</c>), as the seed's <c>gzip</c> lines.</summary>
internal sealed class CompressionOptions
{
    public const string SectionName = "Gateway:Compression";

    /// <summary>
    /// The seed's <c>gzip_types</c>, plus <c>text/html</c>, which nginx compresses whatever <c>gzip_types</c> says.
    /// (<c>application/xml+rss</c> is the seed's spelling; the registered RSS type is <c>application/rss+xml</c>.)
    /// </summary>
    public static readonly IReadOnlyList<string> SeedMimeTypes =
    [
        "text/html", "text/plain", "text/css", "text/xml", "text/javascript",
        "application/javascript", "application/xml+rss", "application/json",
    ];

    /// <summary>Compress at all (nginx <c>gzip on</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Compress over HTTPS too. nginx does, and so does this by default; BREACH-style attacks need a secret and
    /// attacker-controlled input reflected in one compressed response, so an upstream that serves such pages should
    /// turn this off (or send <c>Content-Encoding: identity</c>) rather than every response going uncompressed.
    /// </summary>
    public bool EnableForHttps { get; set; } = true;

    /// <summary>
    /// Responses whose <c>Content-Length</c> is below this many bytes go uncompressed (nginx <c>gzip_min_length</c>).
    /// Like nginx, a response without a <c>Content-Length</c> (chunked) is compressed whatever its size.
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = SectionName + ":MinimumBytes must be 0 or more.")]
    public long MinimumBytes { get; set; } = 10240;

    /// <summary>
    /// Content types to compress (a parameter such as <c>charset</c> is ignored; <c>text/*</c> works). A configured
    /// list replaces <see cref="SeedMimeTypes"/> instead of adding to it.
    /// </summary>
    public List<string> MimeTypes { get; set; } = [];

    // The configuration binder appends a configured list to an initialised one, so the default lives here.
    public IEnumerable<string> EffectiveMimeTypes => MimeTypes.Count > 0 ? MimeTypes : SeedMimeTypes;
}
