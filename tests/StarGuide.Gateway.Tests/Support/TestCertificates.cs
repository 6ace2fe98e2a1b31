using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>
/// PEM files made at test time in a temporary folder, deleted on dispose: a server certificate for <c>localhost</c>
/// issued by a throw-away intermediate and root, its key, and the leaf-then-intermediate file a server should send.
/// A class fixture: RSA keys take a while to generate on a small machine.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates() => Folder = Create();

    public string Folder { get; }

    /// <summary>Leaf certificate, then the intermediate that issued it (as a <c>fullchain.pem</c>).</summary>
    public string CertificatePath => Path.Combine(Folder, "fullchain.pem");

    public string KeyPath => Path.Combine(Folder, "key.pem");

    /// <summary>A valid key that belongs to another certificate.</summary>
    public string OtherKeyPath => Path.Combine(Folder, "other-key.pem");

    public string IntermediateSubject { get; } = "CN=StarGuide Test Intermediate";

    private static string Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        using var root = CertificateAuthority("CN=StarGuide Test Root", rootKey, issuer: null, now.AddDays(90));
        using var intermediateKey = RSA.Create(2048);
        using var intermediate = CertificateAuthority("CN=StarGuide Test Intermediate", intermediateKey, root, now.AddDays(60));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        using var leaf = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(30), Serial());

        using var otherKey = RSA.Create(2048);

        // Made only once everything is generated, so that a failure above leaves nothing behind.
        var folder = Directory.CreateTempSubdirectory("starguide-tls-").FullName;
        File.WriteAllText(Path.Combine(folder, "fullchain.pem"), leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), leafKey.ExportRSAPrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "other-key.pem"), otherKey.ExportPkcs8PrivateKeyPem());
        return folder;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static X509Certificate2 CertificateAuthority(string subject, RSA key, X509Certificate2? issuer, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), notAfter);
        }
        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-2), notAfter, Serial());
        return signed.CopyWithPrivateKey(key);
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(8);
}
