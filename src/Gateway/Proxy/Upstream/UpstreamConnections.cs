using System.Globalization;
using StarGuide.Gateway.Pools;

namespace StarGuide.Gateway.Proxy.Upstream;

/// <summary>
/// Carries a pool's <c>ConnectTimeout</c> in its YARP cluster's metadata (YARP's cluster HTTP client settings have no
/// connect timeout) to <see cref="TimedConnectHttpClientFactory"/>, which sets it on the pool's handler.
/// </summary>
internal static class UpstreamConnections
{
    public const string ConnectTimeoutKey = "StarGuide.ConnectTimeout";

    public static string Format(GatewayPoolOptions pool) => pool.ConnectTimeout.ToString("c", CultureInfo.InvariantCulture);

    public static TimeSpan ConnectTimeout(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(ConnectTimeoutKey, out var value)
        && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var timeout)
        && timeout > TimeSpan.Zero
            ? timeout
            : GatewayPoolsOptions.Defaults.ConnectTimeout;
}
