using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Tls;

/// <summary>
/// Rejects at start ports out of range, a redirect host that is not one, and a certificate or key that cannot be used,
/// naming key and path.
/// </summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var errors = new List<string>();
        ValidatePort(options.HttpsPort, nameof(TlsOptions.HttpsPort), errors);
        ValidatePort(options.HttpPort, nameof(TlsOptions.HttpPort), errors);
        if (options.HttpsPort == options.HttpPort)
        {
            errors.Add($"{TlsOptions.SectionName}:HttpPort and HttpsPort must differ; both are {options.HttpPort}.");
        }
        if (!string.IsNullOrEmpty(options.RedirectHost) && !RedirectHost.TryParse(options.RedirectHost, options.HttpsPort, out _))
        {
            errors.Add($"{TlsOptions.SectionName}:RedirectHost '{options.RedirectHost}' must be a host or host:port, without "
                + "scheme, path or user (e.g. edge.example.com or edge.example.com:8443; an internationalised name in its xn-- form).");
        }
        for (var i = 0; i < options.CipherSuites.Count; i++)
        {
            if (!TlsCipherSuites.TryParse(options.CipherSuites[i], out _))
            {
                errors.Add($"{TlsOptions.SectionName}:CipherSuites:{i} '{options.CipherSuites[i]}' is not a cipher suite name "
                    + "(IANA names such as TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384; OpenSSL names such as ECDHE-RSA-AES256-GCM-SHA384 are not read).");
            }
        }
        try
        {
            // Loaded once here only to fail at start; Kestrel loads it again when it binds.
            using var loaded = TlsCertificate.Load(options);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePort(int port, string name, List<string> errors)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{TlsOptions.SectionName}:{name} must be between 1 and 65535; it is {port}.");
        }
    }
}
