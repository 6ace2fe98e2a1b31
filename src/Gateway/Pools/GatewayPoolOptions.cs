using Microsoft.Extensions.Options;
using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.Gateway.Pools;

/// <summary>
/// The gateway's own settings of each pool (section <c>Pools:&lt;pool&gt;</c>, beside the instances and health path that
/// the health monitor reads too: <see cref="PoolOptions"/>). They stay as configured whatever the scaler's events change.
/// </summary>
internal sealed class GatewayPoolOptions
{
    /// <summary>
    /// Failed attempts (connection error or timeout) within <see cref="FailTimeout"/> that take an instance out of
    /// rotation for <see cref="FailTimeout"/> (nginx <c>max_fails</c>); 0 turns passive health off for the pool.
    /// </summary>
    public int MaxFails { get; set; } = 3;

    /// <summary>
    /// Window in which <see cref="MaxFails"/> failures count, and how long the instance then stays out
    /// (nginx <c>fail_timeout</c>), e.g. <c>00:00:30</c>.
    /// </summary>
    public TimeSpan FailTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time to open a connection to an instance before the attempt counts as failed and, if it may be, is retried on
    /// another instance (nginx <c>proxy_connect_timeout</c>; the seed's 60 s).
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Every pool's <see cref="GatewayPoolOptions"/>, by pool name (section <c>Pools</c>).</summary>
internal sealed class GatewayPoolsOptions() : Dictionary<string, GatewayPoolOptions>(StringComparer.OrdinalIgnoreCase)
{
    public const string SectionName = PoolsOptions.SectionName;

    /// <summary>The settings of a pool the configuration says nothing of (also what a cluster without them falls back to).</summary>
    public static readonly GatewayPoolOptions Defaults = new();

    /// <summary>The pool's settings; the defaults for a pool the configuration does not set them for.</summary>
    public GatewayPoolOptions For(string pool) => TryGetValue(pool, out var settings) && settings is not null ? settings : Defaults;
}

/// <summary>Rejects bad gateway pool settings at start, naming the key.</summary>
internal sealed class GatewayPoolsOptionsValidator : IValidateOptions<GatewayPoolsOptions>
{
    private const int MaxFailsLimit = 1000;
    private static readonly TimeSpan FailTimeoutLimit = TimeSpan.FromHours(1);
    private static readonly TimeSpan ConnectTimeoutLimit = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, GatewayPoolsOptions options)
    {
        var errors = new List<string>();
        foreach (var (poolName, pool) in options)
        {
            if (pool is null)
            {
                continue; // said by the shared pools' validator
            }
            var poolKey = $"{GatewayPoolsOptions.SectionName}:{poolName}";
            if (pool.MaxFails is < 0 or > MaxFailsLimit)
            {
                errors.Add($"{poolKey}:MaxFails must be between 0 and {MaxFailsLimit}; it is {pool.MaxFails}.");
            }
            if (pool.FailTimeout <= TimeSpan.Zero || pool.FailTimeout > FailTimeoutLimit)
            {
                errors.Add($"{poolKey}:FailTimeout must be more than 0 and at most {FailTimeoutLimit}; it is {pool.FailTimeout}.");
            }
            if (pool.ConnectTimeout <= TimeSpan.Zero || pool.ConnectTimeout > ConnectTimeoutLimit)
            {
                errors.Add($"{poolKey}:ConnectTimeout must be more than 0 and at most {ConnectTimeoutLimit}; it is {pool.ConnectTimeout}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
