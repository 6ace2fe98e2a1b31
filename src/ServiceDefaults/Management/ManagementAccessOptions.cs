namespace StarGuide.ServiceDefaults.Management;

/// <summary>
/// Who may use a service's management endpoints (section <c>Management</c>, the same in every service): the scaler's
/// <c>/pools</c> and status page, the backup service's <c>/backups</c>, the gateway's management port and every
/// service's <c>/metrics</c>. A request needs both an allowed network and a token; <c>/health</c> and <c>/alive</c>
/// stay open (orchestrators probe them; they say only Healthy or Unhealthy).
/// </summary>
public sealed class ManagementAccessOptions
{
    public const string SectionName = "Management";

    /// <summary>The networks allowed when none is configured: loopback.</summary>
    public static IReadOnlyList<string> Loopback { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// Client networks (CIDR, by TCP peer; no forwarding header is read) that may use the endpoints; others get 403
    /// whatever token they show. Empty (the default): loopback only. A configured list replaces that default (list
    /// 127.0.0.0/8 too to keep loopback), e.g. loopback and the control plane's own network in a deployment. (An empty
    /// default rather than a filled list: configuration binding appends to a list's initial items.)
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Host names (without port) a management request may name in its <c>Host</c> header besides <c>localhost</c>,
    /// IP literals and this machine's name, e.g. <c>scaler</c> for a scraper that uses the service's DNS name. Any
    /// other host is refused (400) so that a DNS-rebinding page in an operator's browser cannot reach a loopback port.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// The credentials, by name (the name is what audit fields record: a scale request's <c>RequestedBy</c>). None:
    /// every management endpoint answers 401.
    /// </summary>
    public Dictionary<string, ManagementTokenOptions> Tokens { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <see cref="AllowedNetworks"/> means once the default is applied.</summary>
    public IReadOnlyList<string> EffectiveAllowedNetworks => AllowedNetworks.Count > 0 ? AllowedNetworks : Loopback;
}
