using System.Net;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Management;

/// <summary>Rejects a bad <c>Gateway:Management</c> section at start, naming the key.</summary>
internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        const string Key = ManagementOptions.SectionName;
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"{Key}:Port must be between 0 (no listener of its own) and 65535; it is {options.Port}.");
        }
        if (options.Port > 0 && !IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"{Key}:Address must be an IP address such as 127.0.0.1; it is '{options.Address}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
