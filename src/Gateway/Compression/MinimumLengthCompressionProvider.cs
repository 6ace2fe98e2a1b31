using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Compression;

/// <summary>
/// ASP.NET Core's compression choice plus what nginx's <c>gzip_min_length</c> and <c>gzip_vary</c> add: no compression
/// below the minimum <c>Content-Length</c>; <c>Vary: Accept-Encoding</c> on every compressible response (for clients that
/// did not ask: <see cref="VaryForUncompressedMiddleware"/>).
/// The built-in choice already leaves alone a response that has a <c>Content-Encoding</c> (never compressed twice) or
/// a <c>Content-Range</c>.
/// </summary>
internal sealed class MinimumLengthCompressionProvider(
    IServiceProvider services,
    IOptions<ResponseCompressionOptions> responseCompression,
    IOptions<CompressionOptions> options) : IResponseCompressionProvider
{
    private readonly ResponseCompressionProvider _inner = new(services, responseCompression);
    private readonly long _minimumBytes = options.Value.MinimumBytes;

    public ICompressionProvider? GetCompressionProvider(HttpContext context) => _inner.GetCompressionProvider(context);

    public bool ShouldCompressResponse(HttpContext context) =>
        (context.Response.ContentLength is not { } length || length >= _minimumBytes)
        && _inner.ShouldCompressResponse(context);

    // The middleware skips a request without Accept-Encoding, and with it the Vary header, which
    // VaryForUncompressedMiddleware adds for those.
    public bool CheckRequestAcceptsCompression(HttpContext context) => _inner.CheckRequestAcceptsCompression(context);
}
