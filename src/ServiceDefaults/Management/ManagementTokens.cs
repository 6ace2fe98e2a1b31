using System.Security.Cryptography;
using System.Text;

namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// The configured tokens, kept as SHA-256 digests: a presented token is hashed and compared with every digest in
/// constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so neither a token's length nor which one
/// matched shows in the time an answer takes, and no token stays in memory as a string after start.
/// </summary>
internal sealed class ManagementTokens
{
    private readonly (byte[] Digest, ManagementCaller Caller)[] _tokens;

    public ManagementTokens(ManagementAccessOptions options) =>
        _tokens = [.. options.Tokens.Select(t =>
        {
            TryRead(t.Value, out var secret);
            TryParseRole(t.Value.Role, out var role);
            return (Digest(secret), new ManagementCaller(t.Key, role));
        })];

    public bool IsEmpty => _tokens.Length == 0;

    /// <summary>The caller whose token this is, or null.</summary>
    public ManagementCaller? Find(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty || presented.Length > 4096)
        {
            return null;
        }
        var digest = Digest(presented);
        ManagementCaller? found = null;
        foreach (var (known, caller) in _tokens)
        {
            // No early exit: every digest is compared whatever matched.
            if (CryptographicOperations.FixedTimeEquals(digest, known))
            {
                found = caller;
            }
        }
        return found;
    }

    internal static bool TryParseRole(string? value, out ManagementRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);

    /// <summary>The token of <paramref name="options"/> (inline or from its file), or a problem naming what is wrong (never the token).</summary>
    internal static string? TryRead(ManagementTokenOptions options, out string secret)
    {
        secret = "";
        var inline = !string.IsNullOrEmpty(options.Token);
        var file = !string.IsNullOrWhiteSpace(options.TokenFile);
        if (inline == file)
        {
            return "give either Token or TokenFile (one of them, not both).";
        }
        if (inline)
        {
            secret = options.Token!.Trim();
            return null;
        }
        try
        {
            secret = File.ReadAllText(options.TokenFile!).Trim();
            return secret.Length == 0 ? $"TokenFile '{options.TokenFile}' is empty." : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"TokenFile '{options.TokenFile}' cannot be read: {ex.Message}";
        }
    }

    private static byte[] Digest(ReadOnlySpan<char> token)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, utf8);
        return SHA256.HashData(utf8);
    }
}
