namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// What <see cref="ManagementAccess"/> decided for one request: <see cref="Caller"/> when it may go on, otherwise
/// the status (400 bad Host, 403 network or role, 401 no or unknown token) and a message that names the setting.
/// </summary>
public readonly record struct ManagementDecision(ManagementCaller? Caller, int StatusCode, string? Problem)
{
    public bool Allowed => Caller is not null;
}
