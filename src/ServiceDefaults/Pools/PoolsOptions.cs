namespace StarGuide.ServiceDefaults.Pools;

/// <summary>
/// The instance pools a service starts with, by pool name (section <c>Pools</c>), e.g.
/// <c>Pools:backend:Instances:0:Address=http://127.0.0.1:8001</c>. Shared by the gateway and the health monitor.
/// </summary>
public sealed class PoolsOptions : Dictionary<string, PoolOptions>
{
    public const string SectionName = "Pools";

    public PoolsOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
