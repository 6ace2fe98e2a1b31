namespace StarGuide.Gateway.Routing;

/// <summary>The gateway's routes by name (section <c>Gateway:Routes</c>); defaults in appsettings.json are the seed's.</summary>
public sealed class GatewayRoutesOptions : Dictionary<string, GatewayRouteOptions>
{
    public const string SectionName = "Gateway:Routes";

    public GatewayRoutesOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
