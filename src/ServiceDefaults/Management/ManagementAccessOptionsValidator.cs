using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// Rejects a bad <c>Management</c> section at start, naming the key and never the token. Also refuses the allow-list
/// keys that this section replaced, so that a deployment that still sets them does not silently fall back to loopback.
/// </summary>
internal sealed partial class ManagementAccessOptionsValidator(IConfiguration configuration) : IValidateOptions<ManagementAccessOptions>
{
    /// <summary>Shorter tokens can be guessed; 16 characters of a random token are ~96 bits and more.</summary>
    internal const int MinimumTokenLength = 16;

    private static readonly string[] RetiredNetworkKeys = ["Scaler:AllowedNetworks", "Backup:AllowedNetworks", "Gateway:Management:AllowedNetworks"];

    public ValidateOptionsResult Validate(string? name, ManagementAccessOptions options)
    {
        const string Key = ManagementAccessOptions.SectionName;
        var errors = new List<string>();
        foreach (var retired in RetiredNetworkKeys.Where(k => configuration.GetSection(k).GetChildren().Any()))
        {
            errors.Add($"{retired} is no longer read: management networks are {Key}:AllowedNetworks in every service (default: loopback only).");
        }
        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.AllowedNetworks[i], out _))
            {
                errors.Add($"{Key}:AllowedNetworks:{i} must be a network in CIDR form such as 10.0.0.0/8; it is '{options.AllowedNetworks[i]}'.");
            }
        }
        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (!HostName().IsMatch(options.AllowedHosts[i]))
            {
                errors.Add($"{Key}:AllowedHosts:{i} must be a host name without scheme, port or path, such as scaler; it is '{options.AllowedHosts[i]}'.");
            }
        }
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tokenName, token) in options.Tokens)
        {
            var prefix = $"{Key}:Tokens:{tokenName}";
            if (!TokenName().IsMatch(tokenName))
            {
                errors.Add($"{prefix}: a token's name may hold letters, digits, '.', '_' and '-' only (it is recorded as the caller).");
            }
            if (!ManagementTokens.TryParseRole(token.Role, out _))
            {
                errors.Add($"{prefix}:Role must be read or operate; it is '{token.Role}'.");
            }
            if (ManagementTokens.TryRead(token, out var secret) is { } problem)
            {
                errors.Add($"{prefix}: {problem}");
            }
            else if (secret.Length < MinimumTokenLength || secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add($"{prefix}: the token must be at least {MinimumTokenLength} characters without spaces or control characters (e.g. openssl rand -hex 32).");
            }
            else if (!seen.TryAdd(secret, tokenName))
            {
                errors.Add($"{prefix}: the same token as {Key}:Tokens:{seen[secret]}; give each caller its own.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TokenName();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();
}
