using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StarGuide.Gateway.Tls;

/// <summary>The server certificate with its private key, and the chain to send with it, read from PEM files.</summary>
internal sealed record TlsCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain) : IDisposable
{
    /// <summary>Reads both files; an unusable file throws <see cref="InvalidOperationException"/> naming key and path.</summary>
    public static TlsCertificate Load(TlsOptions options)
    {
        var certificatePath = RequireFile(options.CertificatePath, nameof(TlsOptions.CertificatePath));
        var keyPath = RequireFile(options.KeyPath, nameof(TlsOptions.KeyPath));
        try
        {
            // The key stays ephemeral: fine for SslStream on Linux, where the gateway runs (Windows would need it
            // re-imported as persisted).
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // nginx sends every certificate of ssl_certificate's file: the intermediates follow the leaf there.
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            return new TlsCertificate(certificate, chain);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{Key(nameof(TlsOptions.CertificatePath))} '{certificatePath}' and {Key(nameof(TlsOptions.KeyPath))} "
                + $"'{keyPath}' could not be loaded as a PEM certificate and its unencrypted private key: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static string RequireFile(string? path, string name)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"{Key(name)} is not set; TLS needs both {Key(nameof(TlsOptions.CertificatePath))} and {Key(nameof(TlsOptions.KeyPath))}.");
        }
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{Key(name)}: the file '{path}' does not exist.");
        }
        return path;
    }

    private static string Key(string name) => $"{TlsOptions.SectionName}:{name}";
}
