using System.Net.Security;

namespace StarGuide.Gateway.Tls;

/// <summary>
/// <see cref="TlsOptions.CipherSuites"/> as a policy for the handshake. Like nginx's <c>ssl_ciphers</c> the list
/// restricts TLS 1.2 only: the TLS 1.3 suites are always added, since a list without them would silently turn
/// TLS 1.3 off.
/// </summary>
internal static class TlsCipherSuites
{
    private static readonly TlsCipherSuite[] Tls13 =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Null when no list is configured: the system's defaults apply.</summary>
    public static CipherSuitesPolicy? Policy(TlsOptions options)
    {
        if (options.CipherSuites.Count == 0)
        {
            return null;
        }
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException(
                $"{TlsOptions.SectionName}:CipherSuites cannot be applied on Windows (Schannel takes them from the system's policy).");
        }
        return new CipherSuitesPolicy([.. Tls13, .. options.CipherSuites.Select(Parse).Except(Tls13)]);
    }

    public static bool TryParse(string name, out TlsCipherSuite suite) =>
        Enum.TryParse(name, ignoreCase: false, out suite) && Enum.IsDefined(suite) && !name.All(char.IsAsciiDigit);

    private static TlsCipherSuite Parse(string name) =>
        TryParse(name, out var suite) ? suite : throw new InvalidOperationException($"'{name}' is not a cipher suite name.");
}
