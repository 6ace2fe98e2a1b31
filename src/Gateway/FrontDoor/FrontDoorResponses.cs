using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Security;

namespace StarGuide.Gateway.FrontDoor;

/// <summary>
/// The answers to requests refused at the connection, before Kestrel sees them: empty, <c>Connection: close</c>, and
/// with the security headers (Kestrel's own 400/414/431 cannot carry them: it writes those before any middleware runs).
/// </summary>
internal sealed class FrontDoorResponses(IOptions<SecurityHeadersOptions> securityHeaders, TimeProvider time)
{
    private readonly string _headers = string.Concat(securityHeaders.Value
        .Where(h => !string.IsNullOrEmpty(h.Value))
        .Select(h => $"{h.Key}: {h.Value}\r\n"));

    public byte[] For(int status) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Length: 0\r\nConnection: close\r\n"
        + $"Date: {time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture)}\r\n{_headers}\r\n");

    private static string Reason(int status) => status switch
    {
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Bad Request",
    };
}
