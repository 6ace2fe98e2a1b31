using Microsoft.Extensions.Options;

namespace StarGuide.ServiceDefaults.Pools;

/// <summary>Rejects a bad pool configuration at start, naming the configuration key that is wrong.</summary>
internal sealed class PoolsOptionsValidator : IValidateOptions<PoolsOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolsOptions options)
    {
        var errors = new List<string>();
        foreach (var (poolName, pool) in options)
        {
            var poolKey = $"{PoolsOptions.SectionName}:{poolName}";
            if (pool is null)
            {
                errors.Add($"{poolKey} is empty.");
                continue;
            }
            if (!pool.HealthPath.StartsWith('/'))
            {
                errors.Add($"{poolKey}:HealthPath must start with '/'; it is '{pool.HealthPath}'.");
            }
            ValidateUpstreams(poolKey, pool, errors);
            ValidateInstances(poolKey, pool.Instances, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateUpstreams(string poolKey, PoolOptions pool, List<string> errors)
    {
        for (var i = 0; i < pool.AllowedNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(pool.AllowedNetworks[i], out _))
            {
                errors.Add($"{poolKey}:AllowedNetworks:{i} must be a network in CIDR notation such as 10.0.0.0/8; it is '{pool.AllowedNetworks[i]}'.");
            }
        }
        if (!UpstreamAddressRule.TryParsePorts(pool.AllowedPorts, out _))
        {
            errors.Add($"{poolKey}:AllowedPorts must be ports or ranges from 1 to 65535, comma-separated, such as 8080 or 8000-8099; it is '{pool.AllowedPorts}'.");
        }
    }

    private static void ValidateInstances(string poolKey, List<InstanceOptions> instances, List<string> errors)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < instances.Count; i++)
        {
            var key = $"{poolKey}:Instances:{i}";
            var instance = instances[i];
            if (string.IsNullOrWhiteSpace(instance.Id))
            {
                errors.Add($"{key}:Id is required.");
            }
            else if (!ids.Add(instance.Id))
            {
                errors.Add($"{key}:Id '{instance.Id}' is used twice in the pool.");
            }
            if (!Uri.TryCreate(instance.Address, UriKind.Absolute, out var address)
                || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{key}:Address must be an absolute http:// or https:// URI; it is '{instance.Address}'.");
            }
            if (instance.Weight is < 1 or > 100)
            {
                errors.Add($"{key}:Weight must be between 1 and 100; it is {instance.Weight}.");
            }
        }
    }
}
