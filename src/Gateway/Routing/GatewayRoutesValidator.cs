using System.Net;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.RateLimiting;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.Gateway.Routing;

/// <summary>Rejects a bad route at start, naming the key: unknown pool or zone, bad template or network.</summary>
internal sealed class GatewayRoutesValidator(IOptions<PoolsOptions> pools, IOptions<RateLimitingOptions> rateLimiting)
    : IValidateOptions<GatewayRoutesOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayRoutesOptions options)
    {
        var errors = new List<string>();
        if (options.Count == 0)
        {
            errors.Add($"{GatewayRoutesOptions.SectionName} is empty: the gateway would answer nothing but 404.");
        }
        foreach (var (routeName, route) in options)
        {
            var key = $"{GatewayRoutesOptions.SectionName}:{routeName}";
            if (!route.Path.StartsWith('/'))
            {
                errors.Add($"{key}:Path must start with '/'; it is '{route.Path}'.");
            }
            if (!pools.Value.ContainsKey(route.Pool))
            {
                errors.Add($"{key}:Pool '{route.Pool}' is not a pool (known: {string.Join(", ", pools.Value.Keys)}).");
            }
            if (route.RateLimitZone is { } zone && !rateLimiting.Value.Zones.ContainsKey(zone))
            {
                errors.Add($"{key}:RateLimitZone '{zone}' is not a zone in {RateLimitingOptions.SectionName}:Zones.");
            }
            if (route.Timeout <= TimeSpan.Zero)
            {
                errors.Add($"{key}:Timeout must be positive; it is {route.Timeout}.");
            }
            if (route.TryTimeout is { } tryTimeout && (tryTimeout <= TimeSpan.Zero || tryTimeout >= route.Timeout))
            {
                errors.Add($"{key}:TryTimeout must be positive and shorter than {key}:Timeout ({route.Timeout}); it is {tryTimeout}.");
            }
            if (route.Expires is { } expires && expires < TimeSpan.Zero)
            {
                errors.Add($"{key}:Expires must not be negative; it is {expires}.");
            }
            for (var i = 0; i < route.AllowedNetworks.Count; i++)
            {
                if (!IPNetwork.TryParse(route.AllowedNetworks[i], out _))
                {
                    errors.Add($"{key}:AllowedNetworks:{i} must be a network in CIDR form such as 10.0.0.0/8; it is '{route.AllowedNetworks[i]}'.");
                }
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
