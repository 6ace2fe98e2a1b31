using System.Net;
using Microsoft.Extensions.Options;
using StarGuide.Scaler.Drivers;

namespace StarGuide.Scaler.Pools;

/// <summary>Rejects a bad scaler configuration at start, naming the key that is wrong.</summary>
internal sealed class ScalerOptionsValidator(IEnumerable<IInstanceDriverFactory> drivers) : IValidateOptions<ScalerOptions>
{
    private const int InstancesLimit = 1000;
    private static readonly TimeSpan TimingLimit = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, ScalerOptions options)
    {
        var errors = new List<string>();
        var section = ScalerOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.Scope) || !options.Scope.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"{section}:Scope must be letters, digits, '-' or '_'; it is '{options.Scope}'.");
        }
        Positive($"{section}:ReconcileInterval", options.ReconcileInterval, errors);
        Positive($"{section}:SnapshotInterval", options.SnapshotInterval, errors);
        if (string.IsNullOrWhiteSpace(options.GatewayLoadKeyPrefix))
        {
            errors.Add($"{section}:GatewayLoadKeyPrefix must not be empty.");
        }
        foreach (var (pool, settings) in options.Pools)
        {
            ValidatePool($"{section}:Pools:{pool}", pool, settings, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidatePool(string key, string pool, ScalerPoolOptions? options, List<string> errors)
    {
        if (options is null)
        {
            errors.Add($"{key} is empty.");
            return;
        }
        if (!pool.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"{key}: a pool name must be letters, digits, '-' or '_'.");
        }
        if (options.MinInstances is < 0 or > InstancesLimit)
        {
            errors.Add($"{key}:MinInstances must be between 0 and {InstancesLimit}; it is {options.MinInstances}.");
        }
        if (options.MaxInstances < Math.Max(1, options.MinInstances) || options.MaxInstances > InstancesLimit)
        {
            errors.Add($"{key}:MaxInstances must be at least 1, at least MinInstances ({options.MinInstances}) and at most {InstancesLimit}; it is {options.MaxInstances}.");
        }
        if (options.Instances < options.MinInstances || options.Instances > options.MaxInstances)
        {
            errors.Add($"{key}:Instances must be between MinInstances ({options.MinInstances}) and MaxInstances ({options.MaxInstances}); it is {options.Instances}.");
        }
        if (options.Weight is < 1 or > 100)
        {
            errors.Add($"{key}:Weight must be between 1 and 100; it is {options.Weight}.");
        }
        Positive($"{key}:StartTimeout", options.StartTimeout, errors);
        Positive($"{key}:DrainTimeout", options.DrainTimeout, errors);
        Positive($"{key}:BackoffInitial", options.BackoffInitial, errors);
        Positive($"{key}:MinUptime", options.MinUptime, errors);
        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay > TimingLimit)
        {
            errors.Add($"{key}:DrainDelay must be between 0 and {TimingLimit}; it is {options.DrainDelay}.");
        }
        if (options.BackoffMax < options.BackoffInitial || options.BackoffMax > TimingLimit)
        {
            errors.Add($"{key}:BackoffMax must be at least BackoffInitial ({options.BackoffInitial}) and at most {TimingLimit}; it is {options.BackoffMax}.");
        }

        // Autoscaling/ checks the pool's Autoscaling settings (AutoscaledPoolsOptionsValidator).

        var driver = drivers.FirstOrDefault(d => string.Equals(d.Kind, options.Driver, StringComparison.OrdinalIgnoreCase));
        if (driver is null)
        {
            errors.Add($"{key}:Driver must be one of {string.Join(", ", drivers.Select(d => d.Kind))}; it is '{options.Driver}'.");
            return;
        }
        errors.AddRange(driver.Validate(key, options));
    }

    private static void Positive(string key, TimeSpan value, List<string> errors)
    {
        if (value <= TimeSpan.Zero || value > TimingLimit)
        {
            errors.Add($"{key} must be more than 0 and at most {TimingLimit}; it is {value}.");
        }
    }
}
