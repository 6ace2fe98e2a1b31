using Microsoft.Extensions.Options;

namespace StarGuide.Scaler.Autoscaling;

/// <summary>
/// Autoscaling's part of the scaler's settings: <c>Scaler:Pools:&lt;pool&gt;:Autoscaling</c> for each pool, bound from
/// the section <c>Scaler</c> beside the pools' own settings (<c>Pools/ScalerOptions</c>), so that Pools/ need not know it.
/// </summary>
internal sealed class AutoscaledPoolsOptions
{
    public const string SectionName = StarGuide.Scaler.Pools.ScalerOptions.SectionName;

    public Dictionary<string, PoolAutoscalingSection> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The pool's autoscaling settings; off (the defaults) for a pool that has none.</summary>
    public AutoscalingOptions For(string pool) => Pools.GetValueOrDefault(pool)?.Autoscaling ?? new AutoscalingOptions();
}

/// <summary>The <c>Autoscaling</c> key of one pool's section.</summary>
internal sealed class PoolAutoscalingSection
{
    /// <summary>How the pool scales with load; off unless <c>Enabled</c>.</summary>
    public AutoscalingOptions Autoscaling { get; set; } = new();
}

/// <summary>Rejects bad autoscaling settings at start, each problem naming its key.</summary>
internal sealed class AutoscaledPoolsOptionsValidator : IValidateOptions<AutoscaledPoolsOptions>
{
    public ValidateOptionsResult Validate(string? name, AutoscaledPoolsOptions options)
    {
        var errors = options.Pools
            .Where(p => p.Value is not null)
            .SelectMany(p => AutoscalingOptionsValidation.Validate($"Scaler:Pools:{p.Key}", p.Value.Autoscaling))
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
