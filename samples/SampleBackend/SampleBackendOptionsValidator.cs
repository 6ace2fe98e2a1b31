using Microsoft.Extensions.Options;

namespace StarGuide.SampleBackend;

/// <summary>Checks <see cref="SampleBackendOptions"/> at start, naming the configuration key that is wrong.</summary>
internal sealed class SampleBackendOptionsValidator : IValidateOptions<SampleBackendOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleBackendOptions options)
    {
        var failures = new List<string>();

        if (!InstanceIds.IsValid(options.InstanceId))
        {
            failures.Add($"{SampleBackendOptions.Section}:{nameof(options.InstanceId)} must be non-empty printable ASCII " +
                $"(it is sent as the {InstanceIdMiddleware.HeaderName} header); got '{options.InstanceId}'.");
        }

        if (options.AiDelay < TimeSpan.Zero || options.AiDelay > SampleBackendOptions.MaxAiDelay)
        {
            failures.Add($"{SampleBackendOptions.Section}:{nameof(options.AiDelay)} must be between 00:00:00 and " +
                $"{SampleBackendOptions.MaxAiDelay:c}; got {options.AiDelay:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class InstanceIds
{
    /// <summary>Non-empty and printable ASCII, so that it can go into a response header as it is.</summary>
    public static bool IsValid(string? instanceId) =>
        !string.IsNullOrWhiteSpace(instanceId) && instanceId.All(c => c is >= ' ' and <= '~');
}
