namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// Who a management request came from: the name of the token it presented (<c>Management:Tokens:&lt;name&gt;</c>) and
/// what that token may do. Handlers read it with <see cref="ManagementHttpContextExtensions.ManagementCaller"/> for audit
/// fields, never a name the request body claims.
/// </summary>
public sealed record ManagementCaller(string Name, ManagementRole Role);
