namespace StarGuide.ServiceDefaults.Management;

/// <summary>One named credential, <c>Management:Tokens:&lt;name&gt;</c>: its role and its secret, given inline or in a file.</summary>
public sealed class ManagementTokenOptions
{
    /// <summary><c>read</c> or <c>operate</c> (operate may also read).</summary>
    public string Role { get; set; } = "";

    /// <summary>The bearer token itself (e.g. from an environment variable <c>Management__Tokens__ops__Token</c>).</summary>
    public string? Token { get; set; }

    /// <summary>A file holding the token (e.g. a mounted secret, <c>/run/secrets/management-operate-token</c>); surrounding whitespace is ignored.</summary>
    public string? TokenFile { get; set; }
}
