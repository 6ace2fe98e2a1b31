using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Tls;

/// <summary>Rejects at start ports out of range and a certificate or key that cannot be used, naming key and path.</summary>
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
