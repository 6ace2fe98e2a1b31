namespace StarGuide.ServiceDefaults.Management;

/// <summary>What a management credential may do. <see cref="Operate"/> includes <see cref="Read"/>.</summary>
public enum ManagementRole
{
    /// <summary>Look: <c>GET /pools</c>, the status page and its event stream, <c>GET /backups</c>, <c>/metrics</c>.</summary>
    Read,

    /// <summary>Change: <c>POST /pools/{pool}/scale</c>, start, verify and restore backups.</summary>
    Operate,
}
