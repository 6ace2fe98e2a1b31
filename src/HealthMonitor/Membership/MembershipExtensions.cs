namespace StarGuide.HealthMonitor.Membership;

internal static class MembershipExtensions
{
    /// <summary>The instances to probe: the configured pools, then as the scaler's pool events say (see <see cref="PoolMembership"/>).</summary>
    public static WebApplicationBuilder AddPoolMembership(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoolMembership>();
        return builder;
    }
}
