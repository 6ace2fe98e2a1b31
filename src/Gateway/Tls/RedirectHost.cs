using System.Buffers;
using System.Globalization;
using System.Text;

namespace StarGuide.Gateway.Tls;

/// <summary><see cref="TlsOptions.RedirectHost"/> read: a host, or a host and port, and nothing else.</summary>
internal static class RedirectHost
{
    // Uri would read what follows them as a path, query, fragment or user; none of these belongs in a host.
    private static readonly SearchValues<char> NotInAuthority = SearchValues.Create("/\\?#@");

    /// <summary>
    /// The authority of the redirect's <c>https://</c> URL: <paramref name="value"/> as written when it has a port,
    /// else followed by <paramref name="httpsPort"/> unless that is 443. False when <paramref name="value"/> is not a
    /// host name or an IP address, alone or with a port.
    /// </summary>
    public static bool TryParse(string value, int httpsPort, out HostString authority)
    {
        authority = default;
        var span = value.AsSpan();
        if (span.IsEmpty || !Ascii.IsValid(span) || span.ContainsAnyInRange('\0', ' ') || span.Contains('\x7f')
            || span.ContainsAny(NotInAuthority)
            || !Uri.TryCreate("https://" + value, UriKind.Absolute, out var uri)
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return false;
        }
        var colon = value.LastIndexOf(':');
        if (colon <= value.LastIndexOf(']'))
        {
            authority = new HostString(httpsPort == 443 ? value : $"{value}:{httpsPort}");
            return true;
        }
        var port = span[(colon + 1)..];
        if (port.Length is 0 or > 5 || port.ContainsAnyExceptInRange('0', '9')
            || int.Parse(port, CultureInfo.InvariantCulture) is < 1 or > 65535)
        {
            return false;
        }
        authority = new HostString(value);
        return true;
    }
}
