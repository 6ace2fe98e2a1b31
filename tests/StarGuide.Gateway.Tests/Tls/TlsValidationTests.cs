using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Tls;

/// <summary>A TLS setting that cannot work stops the gateway at start, naming the key and the path.</summary>
public sealed class TlsValidationTests(TestCertificates certificates) : IClassFixture<TestCertificates>
{
    [Fact]
    public async Task A_missing_certificate_file_is_named_with_its_key()
    {
        var missing = Path.Combine(certificates.Folder, "missing.pem");

        var output = await RunAsync(missing, certificates.KeyPath);

        Assert.Contains($"Gateway:Tls:CertificatePath: the file '{missing}' does not exist.", output);
    }

    [Fact]
    public async Task A_missing_key_file_is_named_with_its_key()
    {
        var missing = Path.Combine(certificates.Folder, "missing-key.pem");

        var output = await RunAsync(certificates.CertificatePath, missing);

        Assert.Contains($"Gateway:Tls:KeyPath: the file '{missing}' does not exist.", output);
    }

    [Fact]
    public async Task A_file_that_is_not_a_certificate_is_named_with_both_keys()
    {
        var garbage = Path.Combine(certificates.Folder, "garbage.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");

        var output = await RunAsync(garbage, certificates.KeyPath);

        Assert.Contains(
            $"Gateway:Tls:CertificatePath '{garbage}' and Gateway:Tls:KeyPath '{certificates.KeyPath}' could not be loaded as a PEM certificate and its unencrypted private key",
            output);
    }

    [Fact]
    public async Task A_key_of_another_certificate_is_refused()
    {
        var output = await RunAsync(certificates.CertificatePath, certificates.OtherKeyPath);

        Assert.Contains($"Gateway:Tls:KeyPath '{certificates.OtherKeyPath}' could not be loaded as a PEM certificate and its unencrypted private key", output);
    }

    [Fact]
    public async Task A_certificate_without_a_key_path_is_refused()
    {
        var output = await RunAsync(certificates.CertificatePath, keyPath: null);

        Assert.Contains("Gateway:Tls:KeyPath is not set", output);
    }

    [Fact]
    public async Task An_out_of_range_port_is_named()
    {
        var output = await RunAsync(certificates.CertificatePath, certificates.KeyPath, ("Gateway:Tls:HttpsPort", "70000"));

        Assert.Contains("Gateway:Tls:HttpsPort must be between 1 and 65535; it is 70000.", output);
    }

    [Theory]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384")] // the seed's OpenSSL spelling
    [InlineData("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA512")] // the seed's nonexistent suite, in IANA form
    [InlineData("49200")]
    public async Task An_unknown_cipher_suite_is_named_with_its_index(string name)
    {
        var output = await RunAsync(certificates.CertificatePath, certificates.KeyPath,
            ("Gateway:Tls:CipherSuites:0", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), ("Gateway:Tls:CipherSuites:1", name));

        Assert.Contains($"Gateway:Tls:CipherSuites:1 '{name}' is not a cipher suite name", output);
    }

    [Theory]
    [InlineData("https://edge.example.com")]
    [InlineData("edge.example.com/path")]
    [InlineData("user@edge.example.com")]
    [InlineData("edge.example.com:0")]
    [InlineData("edge.example.com:70000")]
    [InlineData("edge.example.com:")]
    [InlineData("édge.example.com")]
    public async Task A_redirect_host_that_is_not_a_host_or_host_and_port_is_named(string value)
    {
        var output = await RunAsync(certificates.CertificatePath, certificates.KeyPath, ("Gateway:Tls:RedirectHost", value));

        Assert.Contains($"Gateway:Tls:RedirectHost '{value}' must be a host or host:port", output);
    }

    private static async Task<string> RunAsync(string certificatePath, string? keyPath, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string> { ["Gateway:Tls:CertificatePath"] = certificatePath };
        if (keyPath is not null)
        {
            settings["Gateway:Tls:KeyPath"] = keyPath;
        }
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return await GatewayProcess.AssertStopsAtStartAsync(settings);
    }
}
