using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.Security;

/// <summary>
/// Rejects at start a header that Kestrel would refuse to write (it would then fail every response) or that would
/// change how a response is framed.
/// </summary>
internal sealed class SecurityHeadersOptionsValidator : IValidateOptions<SecurityHeadersOptions>
{
    private static readonly string[] FramingHeaders = ["Content-Length", "Transfer-Encoding", "Content-Encoding", "Connection"];

    public ValidateOptionsResult Validate(string? name, SecurityHeadersOptions options)
    {
        var errors = new List<string>();
        foreach (var (header, value) in options)
        {
            var key = $"{SecurityHeadersOptions.SectionName}:{header}";
            if (header.Length == 0 || !header.All(IsTokenChar))
            {
                errors.Add($"{key}: '{header}' is not a valid header name.");
            }
            else if (FramingHeaders.Contains(header, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{key}: {header} describes the message framing and cannot be set on every response.");
            }
            // Kestrel refuses to write a response header value outside visible ASCII, space and tab.
            if (value is not null && value.Any(c => c != '\t' && (c < ' ' || c > '~')))
            {
                errors.Add($"{key}: the value may hold only visible ASCII characters, spaces and tabs.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // RFC 9110 5.6.2 token characters.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
