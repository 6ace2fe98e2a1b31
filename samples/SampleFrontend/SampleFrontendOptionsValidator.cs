using Microsoft.Extensions.Options;

namespace StarGuide.SampleFrontend;

/// <summary>Checks <see cref="SampleFrontendOptions"/> at start, naming the configuration key that is wrong.</summary>
internal sealed class SampleFrontendOptionsValidator : IValidateOptions<SampleFrontendOptions>
{
    public ValidateOptionsResult Validate(string? name, SampleFrontendOptions options)
    {
        // Non-empty printable ASCII, so that it can go into a response header as it is.
        var valid = !string.IsNullOrWhiteSpace(options.InstanceId) && options.InstanceId.All(c => c is >= ' ' and <= '~');
        return valid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{SampleFrontendOptions.Section}:{nameof(options.InstanceId)} must be non-empty printable ASCII " +
                $"(it is sent as the {InstanceIdMiddleware.HeaderName} header); got '{options.InstanceId}'.");
    }
}
