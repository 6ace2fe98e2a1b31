using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StarGuide.ServiceDefaults.Networks;

namespace StarGuide.ServiceDefaults.Pools;

/// <summary>Where a pool's instances may be, as its <c>AllowedNetworks</c> and <c>AllowedPorts</c> say.</summary>
internal sealed class UpstreamAddressRule
{
    /// <summary>Loopback: the AppHost's and the tests' instances (process driver, 127.0.0.1). Elsewhere set the pool's networks.</summary>
    public static readonly IReadOnlyList<string> DefaultNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>Every unprivileged port: the process driver's free ports; ports below 1024 are system services'.</summary>
    public const string DefaultPorts = "1024-65535";

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly NetworkAllowList _networks;
    private readonly (int From, int To)[] _ports;

    private UpstreamAddressRule(IReadOnlyList<string> networks, string ports)
    {
        _networks = new NetworkAllowList(networks);
        TryParsePorts(ports, out _ports);
        Description = $"networks {string.Join(", ", networks)}; ports {ports}";
    }

    /// <summary>What the rule admits, for log lines.</summary>
    public string Description { get; }

    /// <summary>The rule of <paramref name="pool"/>'s options (validated at start), or the defaults for a pool not configured.</summary>
    public static UpstreamAddressRule For(PoolOptions? pool) => new(
        pool is { AllowedNetworks.Count: > 0 } ? pool.AllowedNetworks : DefaultNetworks,
        pool?.AllowedPorts is { Length: > 0 } ports ? ports : DefaultPorts);

    public static bool TryParsePorts(string? text, out (int From, int To)[] ranges)
    {
        var parsed = new List<(int, int)>();
        ranges = [];
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var from = dash < 0 ? part : part[..dash];
            var to = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                || !int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                || low < 1 || high > 65535 || low > high)
            {
                return false;
            }
            parsed.Add((low, high));
        }
        ranges = [.. parsed];
        return true;
    }

    /// <summary>Null when <paramref name="address"/> is admitted, else why not. A host name is resolved: every address it gives must be admitted.</summary>
    public async Task<string?> CheckAsync(Uri address, CancellationToken cancellationToken)
    {
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            return "is not an absolute http:// or https:// address";
        }
        if (address.UserInfo.Length > 0)
        {
            return "carries credentials";
        }
        if (!_ports.Any(r => address.Port >= r.From && address.Port <= r.To))
        {
            return $"uses port {address.Port}, outside {Description}";
        }
        IPAddress[] resolved;
        if (IPAddress.TryParse(address.DnsSafeHost, out var literal))
        {
            resolved = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                resolved = await Dns.GetHostAddressesAsync(address.DnsSafeHost, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return $"names host {address.DnsSafeHost}, which does not resolve ({ex.Message})";
            }
        }
        var outside = resolved.Where(ip => !_networks.Contains(ip)).ToList();
        return resolved.Length == 0 ? $"names host {address.DnsSafeHost}, which resolves to no address"
            : outside.Count > 0 ? $"is at {string.Join(", ", outside)}, outside {Description}"
            : null;
    }
}
