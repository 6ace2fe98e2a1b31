using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.RateLimiting;

internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        const string key = RateLimitingOptions.SectionName;
        var errors = new List<string>();
        foreach (var (zoneName, zone) in options.Zones)
        {
            if (!(zone.RequestsPerSecond >= 0.001) || double.IsInfinity(zone.RequestsPerSecond))
            {
                errors.Add($"{key}:Zones:{zoneName}:RequestsPerSecond must be at least 0.001; it is {zone.RequestsPerSecond}.");
            }
            if (zone.Burst < 0)
            {
                errors.Add($"{key}:Zones:{zoneName}:Burst must not be negative; it is {zone.Burst}.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            errors.Add($"{key}:KeyPrefix must not be empty.");
        }
        if (options.RedisTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{key}:RedisTimeout must be positive; it is {options.RedisTimeout}.");
        }
        if (options.MaxLeaseTokens < 1)
        {
            errors.Add($"{key}:MaxLeaseTokens must be at least 1 (1: no leases, every request asks Redis); it is {options.MaxLeaseTokens}.");
        }
        if (options.LeaseLifetime <= TimeSpan.Zero || options.LeaseLifetime > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{key}:LeaseLifetime must be more than 0 and at most a minute; it is {options.LeaseLifetime}.");
        }
        if (options.RedisRetryInterval <= TimeSpan.Zero)
        {
            errors.Add($"{key}:RedisRetryInterval must be positive; it is {options.RedisRetryInterval}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
