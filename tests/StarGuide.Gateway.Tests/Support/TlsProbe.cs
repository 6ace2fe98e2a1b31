using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>TLS handshakes against a port, trusting any certificate (the tests make their own).</summary>
public static class TlsProbe
{
    /// <summary>
    /// Handshakes with only <paramref name="protocol"/> (and, when given, only <paramref name="cipherSuites"/>) enabled,
    /// then sends one GET over the connection.
    /// </summary>
    public static async Task<TlsOutcome> GetAsync(int port, SslProtocols protocol, string path, TlsCipherSuite[]? cipherSuites = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        string[] sent = [];
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocol,
            CipherSuitesPolicy = cipherSuites is null || OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(cipherSuites),
            RemoteCertificateValidationCallback = (_, _, chain, _) =>
            {
                // The intermediates the server sent end up in the chain the client builds.
                sent = chain is null ? [] : [.. chain.ChainElements.Select(e => e.Certificate.Subject)];
                return true;
            },
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, Encoding.Latin1);
        var response = new RawResponse(await reader.ReadToEndAsync(), ClosedByServer: true);
        return new TlsOutcome(tls.SslProtocol, tls.NegotiatedCipherSuite, sent, response);
    }

    /// <summary>
    /// Sends a hand-made ClientHello for <paramref name="version"/> (0x0302 = TLS 1.1, 0x0303 = TLS 1.2) and returns
    /// the first bytes of the server's answer. Written by hand because this machine's OpenSSL will not offer TLS 1.1
    /// from a client, and the server's refusal is what is tested, not the client's.
    /// </summary>
    public static async Task<byte[]> SendClientHelloAsync(int port, ushort version)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(ClientHello(version));
        var answer = new byte[16];
        var total = 0;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            int read;
            while (total < answer.Length && (read = await stream.ReadAsync(answer.AsMemory(total), bound.Token)) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // Reset after the alert: what was read is the answer.
        }
        return answer[..total];
    }

    private static byte[] ClientHello(ushort version)
    {
        byte[] ciphers = [0xC0, 0x2F, 0xC0, 0x13, 0x00, 0x2F]; // ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-SHA, AES128-SHA
        byte[] extensions =
        [
            0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,       // supported_groups: secp256r1
            0x00, 0x0B, 0x00, 0x02, 0x01, 0x00,                   // ec_point_formats: uncompressed
            0x00, 0x0D, 0x00, 0x06, 0x00, 0x04, 0x04, 0x01, 0x02, 0x01, // signature_algorithms: rsa_pkcs1_sha256, rsa_pkcs1_sha1
        ];
        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(new byte[32]); // random
        body.Add(0); // no session id
        body.AddRange([0x00, (byte)ciphers.Length]);
        body.AddRange(ciphers);
        body.AddRange([0x01, 0x00]); // compression: null
        body.AddRange([(byte)(extensions.Length >> 8), (byte)extensions.Length]);
        body.AddRange(extensions);
        var handshake = new List<byte> { 0x01, 0x00, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)(handshake.Count >> 8), (byte)handshake.Count };
        record.AddRange(handshake);
        return [.. record];
    }
}

public sealed record TlsOutcome(SslProtocols Protocol, TlsCipherSuite CipherSuite, IReadOnlyList<string> ChainSubjects, RawResponse Response);
